package io.vpcha.host.doctor;

import static java.util.Objects.requireNonNull;

/** One line of the doctor's report: what was checked, how it went, and what to do about it. */
public record Check(Status status, String subject, String finding, String fix) {
    /** How a check went. */
    public enum Status {
        OK,
        WARN,
        FAIL,
        /** Not checked, and why (e.g. a write permission only a real failover would prove). */
        SKIP
    }

    public Check {
        requireNonNull(status, "status is null");
        requireNonNull(subject, "subject is null");
        requireNonNull(finding, "finding is null");
        requireNonNull(fix, "fix is null");
    }

    static Check ok(String subject, String finding) {
        return new Check(Status.OK, subject, finding, "");
    }

    static Check fail(String subject, String finding, String fix) {
        return new Check(Status.FAIL, subject, finding, fix);
    }

    static Check warn(String subject, String finding, String fix) {
        return new Check(Status.WARN, subject, finding, fix);
    }

    static Check skip(String subject, String finding) {
        return new Check(Status.SKIP, subject, finding, "");
    }

    public String line() {
        return String.format("%-4s %-22s %s%s", status, subject, finding, fix.isEmpty() ? "" : " -> " + fix);
    }
}
