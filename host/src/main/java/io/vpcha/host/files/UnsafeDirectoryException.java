package io.vpcha.host.files;

import java.io.IOException;

/** A directory vpc-ha will not write into; the message says why and what to do, fix first. */
public final class UnsafeDirectoryException extends IOException {
    private static final long serialVersionUID = 1L;

    public UnsafeDirectoryException(String reason) {
        super(reason);
    }
}
