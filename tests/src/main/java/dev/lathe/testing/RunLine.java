package dev.lathe.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code // RUN:} command of a test file, e.g.
 * {@code // RUN: lathe-opt %s --pass-pipeline=cse,dce | FileCheck %s}. Lines ending in {@code \}
 * continue on the next RUN line. Quotes group words as in a shell, and {@code %s} stays a token
 * for the runner to replace with the test file's path.
 *
 * @param line             1-based line where the command starts
 * @param tool             the command's first word, e.g. {@code lathe-opt}
 * @param args             the words after the tool, up to any {@code |}
 * @param pipesToFileCheck whether the output is piped to {@code FileCheck}
 * @param checkPrefixes    FileCheck's {@code --check-prefix(es)}, {@code [CHECK]} when not given
 */
public record RunLine(int line, String tool, List<String> args, boolean pipesToFileCheck, List<String> checkPrefixes) {
    private static final Pattern RUN = Pattern.compile("^\\s*//\\s*RUN:(.*)$");

    public RunLine {
        args = List.copyOf(args);
        checkPrefixes = List.copyOf(checkPrefixes);
    }

    /** {@link #args} with each {@code %s} replaced by {@code inputPath}. */
    public List<String> argsFor(String inputPath) {
        return args.stream().map(arg -> arg.replace("%s", inputPath)).toList();
    }

    static List<RunLine> parseAll(String file, List<String> lines) {
        var runLines = new ArrayList<RunLine>();
        StringBuilder command = null;
        int startLine = 0;
        for (int i = 0; i < lines.size(); i++) {
            Matcher run = RUN.matcher(lines.get(i));
            if (!run.matches()) {
                if (command != null) {
                    throw new CheckSyntaxException(file, i, "RUN line ends in '\\' but the next line is no RUN line");
                }
                continue;
            }
            if (command == null) {
                command = new StringBuilder();
                startLine = i + 1;
            }
            String part = run.group(1).strip();
            if (part.endsWith("\\")) {
                command.append(part, 0, part.length() - 1).append(' ');
                continue;
            }
            runLines.add(parseCommand(file, startLine, command.append(part).toString()));
            command = null;
        }
        if (command != null) throw new CheckSyntaxException(file, startLine, "RUN line ends in '\\' at the end of the file");
        return runLines;
    }

    private static RunLine parseCommand(String file, int line, String command) {
        List<List<String>> stages = splitWords(file, line, command);
        List<String> first = stages.getFirst();
        if (first.isEmpty()) throw new CheckSyntaxException(file, line, "RUN line has no command");
        List<String> prefixes = List.of(FileCheck.DEFAULT_PREFIX);
        for (List<String> stage : stages.subList(1, stages.size())) {
            if (stage.isEmpty() || !stage.getFirst().equals("FileCheck")) {
                throw new CheckSyntaxException(file, line, "only '| FileCheck %s' may follow the command in a RUN line, "
                        + "found '| " + String.join(" ", stage) + "'");
            }
            prefixes = checkPrefixes(file, line, stage.subList(1, stage.size()));
        }
        return new RunLine(line, first.getFirst(), first.subList(1, first.size()), stages.size() > 1, prefixes);
    }

    /** Reads {@code --check-prefix=X}, {@code --check-prefixes=A,B} (or with one dash, or a space). */
    private static List<String> checkPrefixes(String file, int line, List<String> args) {
        var prefixes = new ArrayList<String>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i).replaceFirst("^--?", "-");
            for (String option : List.of("-check-prefixes", "-check-prefix")) {
                if (!arg.startsWith(option)) continue;
                String value = arg.equals(option) && i + 1 < args.size() ? args.get(++i)
                        : arg.startsWith(option + "=") ? arg.substring(option.length() + 1) : null;
                if (value == null) throw new CheckSyntaxException(file, line, "FileCheck " + args.get(i) + " needs a value");
                prefixes.addAll(List.of(value.split(",")));
                break;
            }
        }
        return prefixes.isEmpty() ? List.of(FileCheck.DEFAULT_PREFIX) : prefixes;
    }

    /** Words of each {@code |}-separated stage; quotes group words and are removed, as in a shell. */
    private static List<List<String>> splitWords(String file, int line, String command) {
        var stages = new ArrayList<List<String>>();
        stages.add(new ArrayList<>());
        var word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (char c : command.toCharArray()) {
            if (quote != 0) {
                if (c == quote) quote = 0;
                else word.append(c);
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c) || c == '|') {
                if (inWord) stages.getLast().add(word.toString());
                word.setLength(0);
                inWord = false;
                if (c == '|') stages.add(new ArrayList<>());
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) throw new CheckSyntaxException(file, line, "RUN line has an unterminated " + quote + " quote");
        if (inWord) stages.getLast().add(word.toString());
        return stages;
    }
}
