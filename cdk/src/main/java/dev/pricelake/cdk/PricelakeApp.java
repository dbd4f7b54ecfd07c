package dev.pricelake.cdk;

import io.github.cdklabs.cdknag.AwsSolutionsChecks;
import software.amazon.awscdk.App;
import software.amazon.awscdk.AppProps;
import software.amazon.awscdk.Aspects;
import software.amazon.awscdk.StackProps;

/** {@code cdk synth} / {@code cdk deploy} from cdk/ (cdk.json runs scripts/cdk-app.sh), or {@code ./pricelake synth} without the npm CLI. */
public final class PricelakeApp {
    private PricelakeApp() {
    }

    public static void main(String[] args) {
        // The cdk CLI sets CDK_OUTDIR; run on its own (./pricelake synth), synth into cdk.out as the CLI would.
        String outdir = System.getenv("CDK_OUTDIR");
        App app = new App(AppProps.builder().outdir(outdir != null ? outdir : "cdk.out").build());
        new PricelakeStack(app, "Pricelake", StackProps.builder().description("pricelake: a lake of daily US stock bars").build(),
                PricelakeStack.Settings.from(app));
        Aspects.of(app).add(new AwsSolutionsChecks());
        app.synth();
        if (outdir == null) {
            System.out.println("synthesized into cdk.out/Pricelake.template.json");
        }
    }
}
