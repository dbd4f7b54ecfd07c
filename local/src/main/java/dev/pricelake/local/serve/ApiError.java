package dev.pricelake.local.serve;

/** An error as an AWS JSON 1.0 service answers it: HTTP 400 with {@code {"__type": type, "message": ...}}. */
final class ApiError extends RuntimeException {
    private final String type;

    ApiError(String type, String message) {
        super(message);
        this.type = type;
    }

    String type() {
        return type;
    }
}
