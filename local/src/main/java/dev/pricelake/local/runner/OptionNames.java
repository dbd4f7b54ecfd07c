package dev.pricelake.local.runner;

import dev.pricelake.core.InvalidInputException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Input errors as the command line's user sees them: the fields of the state machine's input (and of the
 * functions' events) named by the options that set them, so {@code end: 2024-01-01 is before start 2024-05-01}
 * reads {@code --end 2024-01-01 is before --start 2024-05-01}.
 */
public final class OptionNames {
    private static final Pattern ITEM = Pattern.compile("(.+)\\[(\\d+)]");
    private static final Pattern FIELD = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)*");
    private static final Map<String, String> OPTIONS = Map.ofEntries(
            Map.entry("selection.tickers", "--tickers"),
            Map.entry("selection.universe", "--universe"),
            Map.entry("selection.include_delisted", "--include-delisted"),
            Map.entry("selection.top_mentions", "--top-mentions"),
            Map.entry("selection.min_articles", "--min-articles"),
            Map.entry("selection.universe_entry", "--universe-entry"),
            Map.entry("selection", "--tickers, --universe, --universe-entry or --top-mentions"),
            Map.entry("adjusted", "--unadjusted"),
            Map.entry("flat_files", "--source flatfiles"),
            Map.entry("lake", "--data-dir"),
            Map.entry("scheduled_time", "--as-of"),
            Map.entry("query", "QUERY"));

    private OptionNames() {
    }

    /**
     * The option that sets a field: {@code batch_size} is {@code --batch-size}, an item of a list names its position;
     * what is not a field (a file and its line, an option already) is left as it is.
     */
    public static String option(String field) {
        Matcher item = ITEM.matcher(field);
        if (item.matches()) {
            return option(item.group(1)) + " (item " + (Integer.parseInt(item.group(2)) + 1) + ")";
        }
        String known = OPTIONS.get(field);
        if (known != null) {
            return known;
        }
        return FIELD.matcher(field).matches() ? "--" + field.replace('_', '-').replace('.', '-') : field;
    }

    /**
     * The error as one line naming options ({@code --end 2024-01-01 is before ...}) or the file and line it is about
     * ({@code bad.csv line 3: ...}); a problem about a run id names the run itself.
     */
    public static String message(InvalidInputException e) {
        String problem = e.problem(OptionNames::option);
        if (e.field().equals("run_id")) {
            return problem;
        }
        String named = option(e.field());
        return named.equals(e.field()) && !named.startsWith("--") ? named + ": " + problem : named + " " + problem;
    }

    /** The error text the state machine reported ({@code field: problem}) with the field named as an option. */
    public static String message(String stateMachineError) {
        int colon = stateMachineError.indexOf(": ");
        if (colon < 0 || !stateMachineError.substring(0, colon).matches("[a-z0-9_.\\[\\]]+")) {
            return stateMachineError;
        }
        return message(new InvalidInputException(stateMachineError.substring(0, colon), stateMachineError.substring(colon + 2)));
    }

    /**
     * Creates the data dir (and its parents), or says why it cannot be, before any stand-in starts there.
     */
    public static Path dataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            if (!Files.isWritable(dataDir)) {
                throw new InvalidInputException("data_dir", dataDir + " is not writable by this user");
            }
            return dataDir;
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new InvalidInputException("data_dir", dataDir + " cannot be created: " + e.getFile() + " is a file, not a directory");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new InvalidInputException("data_dir", dataDir + " cannot be created: permission denied on " + e.getFile());
        } catch (FileSystemException e) {
            throw new InvalidInputException("data_dir", dataDir + " cannot be created: " + e.getFile() + ": "
                    + (e.getReason() != null ? e.getReason() : "refused by the file system"));
        } catch (IOException e) {
            throw new InvalidInputException("data_dir", dataDir + " cannot be created: " + e.getMessage());
        }
    }
}
