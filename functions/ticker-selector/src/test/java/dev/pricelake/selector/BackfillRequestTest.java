package dev.pricelake.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.pricelake.core.universe.Universe;
import dev.pricelake.core.InvalidInputException;
import dev.pricelake.core.fetch.FetchMethod;
import dev.pricelake.core.fetch.Timespan;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BackfillRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode event(String name) throws Exception {
        try (InputStream in = BackfillRequestTest.class.getResourceAsStream("/events/" + name)) {
            return JSON.readTree(in);
        }
    }

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    @Test
    void theSampleEventsAreValidInput() throws Exception {
        BackfillRequest start = BackfillRequest.parse(event("backfill-start.json"));
        assertThat(start.isResume()).isFalse();
        assertThat(start.selection()).isInstanceOf(BackfillRequest.Selection.Tickers.class);
        assertThat(start.range().start()).hasToString("2021-01-01");
        assertThat(BackfillRequest.parse(event("backfill-universe.json")).selection())
                .isEqualTo(new BackfillRequest.Selection.UniverseMembers("cs", new Universe.Query(java.util.Set.of("CS"), false)));
        assertThat(BackfillRequest.parse(event("backfill-mentions.json")).selection())
                .isEqualTo(new BackfillRequest.Selection.TopMentions(50, 3));
        BackfillRequest resume = BackfillRequest.parse(event("backfill-resume.json"));
        assertThat(resume.isResume()).isTrue();
        assertThat(resume.batchSizeGiven()).isFalse();
    }

    @Test
    void theStoredFormParsesBackToTheSameRequest() throws Exception {
        BackfillRequest start = BackfillRequest.parse(event("backfill-start.json"));
        assertThat(BackfillRequest.parse(start.toJson())).isEqualTo(start);
        BackfillRequest mentions = BackfillRequest.parse(event("backfill-mentions.json"));
        assertThat(BackfillRequest.parse(mentions.toJson()).selection()).isEqualTo(mentions.selection());
    }

    @Test
    void flatFilesMakeTheGroupedPlanAreStoredAndRefuseRangeCalls() throws Exception {
        BackfillRequest files = BackfillRequest.parse(event("backfill-flatfiles.json"));
        assertThat(files.flatFiles()).isTrue();
        assertThat(files.fetch()).isEqualTo(FetchMethod.GROUPED);
        assertThat(BackfillRequest.parse(files.toJson())).isEqualTo(files);
        assertThat(BackfillRequest.parse(event("backfill-universe.json")).flatFiles()).isFalse();
        assertThatThrownBy(() -> BackfillRequest.parse(json("{'start':'2024-01-01','end':'2024-02-01',"
                + "'selection':{'tickers':['A']},'flat_files':true,'fetch':'range'}")))
                .isInstanceOf(InvalidInputException.class).hasMessageContaining("flat_files")
                .hasMessageContaining("not range");
    }

    @Test
    void minuteRunsTakeRangeCallsOfChosenSymbolsAndAreStored() throws Exception {
        BackfillRequest minutes = BackfillRequest.parse(event("backfill-minute.json"));
        assertThat(minutes.timespan()).isEqualTo(Timespan.MINUTE);
        assertThat(minutes.fetch()).isEqualTo(FetchMethod.RANGE);
        assertThat(minutes.minuteRetentionDays()).as("the sample's own window").isEqualTo(30);
        assertThat(BackfillRequest.parse(minutes.toJson())).isEqualTo(minutes);
        assertThat(BackfillRequest.parse(event("backfill-start.json")).timespan()).isEqualTo(Timespan.DAY);
        String base = "{'start':'2024-01-01','end':'2024-02-01',";
        assertThatThrownBy(() -> BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'timespan':'hour'}")))
                .isInstanceOf(InvalidInputException.class).hasMessage("timespan: 'hour' is neither day nor minute");
        assertThatThrownBy(() -> BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'timespan':'minute',"
                + "'fetch':'grouped'}"))).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("fetch:")
                .hasMessageContaining("flat_files");
        assertThatThrownBy(() -> BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'timespan':'minute',"
                + "'flat_files':true,'fetch':'range'}"))).isInstanceOf(InvalidInputException.class).hasMessageStartingWith("flat_files:");
        BackfillRequest files = BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'timespan':'minute',"
                + "'flat_files':true,'batch_size':50,'max_concurrency':2}"));
        assertThat(files.fetch()).as("one minute file a session for every symbol").isEqualTo(FetchMethod.GROUPED);
        assertThat(BackfillRequest.parse(files.toJson())).as("a resume reads the files too").isEqualTo(files);
        assertThatThrownBy(() -> BackfillRequest.parse(json(base + "'selection':{'universe':'cs'},'timespan':'minute'}")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("timespan:")
                .hasMessageContaining("minute_universe");
        assertThatThrownBy(() -> BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'minute_universe':true}")))
                .isInstanceOf(InvalidInputException.class).hasMessageStartingWith("minute_universe:");
        BackfillRequest universe = BackfillRequest.parse(json(base + "'selection':{'universe':'cs'},'timespan':'minute',"
                + "'minute_universe':true,'batch_size':50,'max_concurrency':2}"));
        assertThat(BackfillRequest.parse(universe.toJson())).as("a resume plans it again").isEqualTo(universe);
        assertThat(universe.minuteRetentionDays()).as("the default minute window").isEqualTo(30);
        BackfillRequest longer = BackfillRequest.parse(json(base + "'selection':{'tickers':['A']},'timespan':'minute',"
                + "'minute_retention_days':90,'batch_size':50,'max_concurrency':2}"));
        assertThat(longer.minuteRetentionDays()).isEqualTo(90);
        assertThat(BackfillRequest.parse(longer.toJson())).as("the window is stored with the run").isEqualTo(longer);
    }

    @Test
    void aClientMayNameItsRun() throws Exception {
        BackfillRequest named = BackfillRequest.parse(json("{'run_id':'sp500-2024','start':'2024-01-01','end':'2024-02-01',"
                + "'selection':{'tickers':['A']}}"));
        assertThat(named.isNamed()).isTrue();
        assertThat(named.isResume()).isFalse();
        assertThat(named.runId().value()).isEqualTo("sp500-2024");
        assertThat(BackfillRequest.parse(json("{'run_id':'sp500-2024'}")).isResume()).isTrue();
    }

    @Test
    void duplicateTickersAreCountedOnce() throws Exception {
        BackfillRequest r = BackfillRequest.parse(json("{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A','B','A']}}"));
        assertThat(((BackfillRequest.Selection.Tickers) r.selection()).tickers()).extracting(Object::toString).containsExactly("A", "B");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'colour':'red'}|colour: is not a known field",
            "{'start':'2024-02-01','end':'2024-01-01','selection':{'tickers':['A']}}|end: 2024-01-01 is before start 2024-02-01",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A','b@d']}}|selection.tickers[1]: 'b@d' is not a Polygon stock symbol",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':[]}}|selection.tickers: is empty",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'universe':'bonds'}}|selection.universe: 'bonds' is not a Polygon ticker type",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'universe':'cs','tickers':['A']}}|selection: must have exactly one",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A'],'sort':1}}|selection.sort: is not a known field",
            "{'start':'2024-01-01','end':'2024-02-01'}|selection: is missing",
            "{'end':'2024-02-01','selection':{'tickers':['A']}}|start: is missing",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'batch_size':0}|batch_size: 0 is outside 1..1000",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'max_concurrency':'2'}|max_concurrency: must be a whole number",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'top_mentions':0}}|selection.top_mentions: must be at least 1",
            "{'run_id':'backfill-20240101-000000-0123abcd','start':'2024-01-01'}|end: is missing",
            "{'run_id':'daily-20240101','start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']}}|run_id: 'daily-20240101' is the name of a daily run",
            "{'run_id':'run/7'}|run_id: 'run/7' is not a run id",
            "{'run_id':'run-7','adjusted':false}|adjusted: cannot be given with run_id alone",
            "{'mode':'weekly'}|mode: 'weekly' is not a mode this state machine runs",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'fetch':'bulk'}|fetch: 'bulk' is neither range nor grouped",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A'],'include_delisted':true}}|selection.include_delisted: only goes with selection.universe",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'universe_entry':'stock_universe/mega_cap'}}|selection.universe_entry: 'stock_universe/mega_cap' is not a universe entry: write TYPE/NAME/KEY",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'universe_entry':'a/b/c','universe':'cs'}}|selection: must have exactly one of tickers, universe, universe_entry",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'requests_per_minute':601}|requests_per_minute: 601 is outside 0..600",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'requests_per_minute':-1}|requests_per_minute: -1 is outside 0..600",
            "{'run_id':'backfill-20240101-000000-0123abcd','requests_per_minute':'fast'}|requests_per_minute: must be a whole number",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'timespan':'minute','minute_retention_days':0}|minute_retention_days: 0 is outside 1..3660",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'timespan':'minute','minute_retention_days':3661}|minute_retention_days: 3661 is outside 1..3660",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'timespan':'minute','minute_retention_days':'30'}|minute_retention_days: must be a whole number",
            "{'start':'2024-01-01','end':'2024-02-01','selection':{'tickers':['A']},'minute_retention_days':30}|minute_retention_days: only goes with timespan minute"})
    void badInputNamesTheField(String input, String message) {
        assertThatThrownBy(() -> BackfillRequest.parse(json(input)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(message);
    }
}
