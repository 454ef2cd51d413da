package dev.lathe.ir;

/** Where an operation came from: a place in a text file, or a node of an imported model. */
public sealed interface Location {

    Location UNKNOWN = new Unknown();

    /** {@code FILE:LINE:COL}, 1-based, as in compiler diagnostics. */
    record FileLineCol(String file, int line, int column) implements Location {
        @Override
        public String toString() {
            return file + ":" + line + ":" + column;
        }
    }

    /** The name of a node in an imported graph, e.g. an ONNX node name. */
    record Name(String name) implements Location {
        @Override
        public String toString() {
            return name;
        }
    }

    record Unknown() implements Location {
        @Override
        public String toString() {
            return "<unknown>";
        }
    }

    static Location of(String file, int line, int column) {
        return new FileLineCol(file, line, column);
    }

    static Location name(String name) {
        return new Name(name);
    }
}
