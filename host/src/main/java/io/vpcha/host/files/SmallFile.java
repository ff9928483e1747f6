package io.vpcha.host.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a file that should be small (a key, a cached token) without trusting it to be: at most a
 * bound of bytes is ever held, so a huge or endless file (a mistaken path to a disk image, a
 * {@code /dev/zero}) gives a reason instead of exhausting the action's small heap. The file is opened
 * without following a link.
 */
public final class SmallFile {
    private SmallFile() {}

    /** The content of a file larger than the bound it was read with. */
    public static final class TooLargeException extends IOException {
        private static final long serialVersionUID = 1L;
        private final long limit;

        TooLargeException(Path file, long limit) {
            super(file + " is larger than " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * The bytes of {@code file}, which must be a regular file, not a link.
     *
     * @throws TooLargeException when it holds more than {@code limit} bytes (its size is never trusted:
     *     a file may grow, and device files have none)
     * @throws IOException when it cannot be opened (a link: {@link java.nio.file.FileSystemException}
     *     with ELOOP's message) or read
     */
    public static byte[] read(Path file, int limit) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
                InputStream in = Channels.newInputStream(channel)) {
            byte[] content = in.readNBytes(limit + 1);
            if (content.length > limit) {
                throw new TooLargeException(file, limit);
            }
            return content;
        }
    }
}
