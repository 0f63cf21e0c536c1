package com.pyerp.deployaction.action;

/** An error, warning or notice shown on the run page; {@code file} and {@code line} are optional (null / 0). */
public record Annotation(Level level, String title, String message, String file, int line) {

    public enum Level {
        ERROR("error"),
        WARNING("warning"),
        NOTICE("notice");

        private final String command;

        Level(String command) {
            this.command = command;
        }

        public String command() {
            return command;
        }
    }

    public static Annotation error(String title, String message) {
        return new Annotation(Level.ERROR, title, message, null, 0);
    }

    public static Annotation warning(String title, String message) {
        return new Annotation(Level.WARNING, title, message, null, 0);
    }

    public static Annotation notice(String title, String message) {
        return new Annotation(Level.NOTICE, title, message, null, 0);
    }

    public Annotation at(String file, int line) {
        return new Annotation(level, title, message, file, line);
    }
}
