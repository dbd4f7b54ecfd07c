import java.lang.management.ManagementFactory;
import javax.management.ObjectName;

/**
 * Lambda's init phase for one handler, run as a single-file program with only the function's jar on the class
 * path: builds the handler with its no-argument constructor, then prints the live instances of every class
 * (after a full GC) so the test can count the clients init built.
 */
public class InitProbe {
    public static void main(String[] args) throws Exception {
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        String histogram = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                new Object[] {null}, new String[] {String[].class.getName()});
        System.out.println(histogram);
        System.out.println("initialized " + handler.getClass().getName());
    }
}
