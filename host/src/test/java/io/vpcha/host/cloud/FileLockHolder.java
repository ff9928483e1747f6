package io.vpcha.host.cloud;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A separate process that takes the file lock a token refresh takes (a POSIX lock, as the JVM's), says
 * "locked" and keeps it until its standard input closes: a process stopped in the middle of a refresh.
 */
public final class FileLockHolder {
    private FileLockHolder() {}

    public static void main(String[] args) throws Exception {
        try (FileChannel channel =
                        FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            System.out.println(lock.isValid() ? "locked" : "not locked");
            System.out.flush();
            while (System.in.read() >= 0) {
                // held until the test closes our input (or kills us)
            }
        }
    }
}
