package io.vpcha.host.plugin;

import static java.util.Objects.requireNonNull;

import io.vpcha.host.files.PropertiesText;
import io.vpcha.host.files.SafeFiles;
import java.io.FileInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Which plugin of a plugins directory provides which strategy, with the size and modification time
 * of every jar it was made from, so that an action loads only the plugin of its strategy. Kept as
 * {@value #FILE} in the plugins directory (hidden: the loader skips it); valid only while every jar
 * is as it was and the host is the one that made it. Deleting it is always safe.
 *
 * @param host the host that made it: its version, SPI version and reserved parameter names, which
 *     decide what loads
 * @param entries every entry of the directory, in the loader's order
 */
public record PluginIndex(String host, List<Entry> entries) {
    public static final String FILE = ".vpc-ha-plugin-index";
    private static final String FORMAT = "1";
    private static final int LARGEST_FILE = 1 << 20;

    /**
     * One plugin: a jar or a folder of jars, what its jars looked like, what it provided.
     *
     * @param name the file name in the plugins directory
     * @param jars each jar's path relative to the plugins directory, size and modification time
     * @param strategies the strategies it provided (none when it could not be loaded)
     */
    public record Entry(String name, List<Jar> jars, List<String> strategies) {
        public Entry {
            requireNonNull(name, "name is null");
            jars = List.copyOf(jars);
            strategies = List.copyOf(strategies);
        }
    }

    /** A jar as it was: a changed size or modification time means the index is stale. */
    public record Jar(String path, long size, long modifiedMillis) {
        public Jar {
            requireNonNull(path, "path is null");
        }
    }

    public PluginIndex {
        requireNonNull(host, "host is null");
        entries = List.copyOf(entries);
    }

    /** The entries and jars of {@code directory} as they are now, without the strategies. */
    public static List<Entry> fingerprint(Path directory) throws IOException {
        List<PluginProblem> problems = new ArrayList<>();
        List<Path> listed = PluginLoader.entries(directory, problems);
        if (!problems.isEmpty()) {
            throw new IOException(problems.get(0).reason());
        }
        List<Entry> entries = new ArrayList<>();
        for (Path entry : listed) {
            List<Jar> jars = new ArrayList<>();
            for (Path jar : PluginLoader.jarsOf(entry)) {
                BasicFileAttributes attributes = Files.readAttributes(jar, BasicFileAttributes.class);
                jars.add(new Jar(
                        directory.relativize(jar).toString(),
                        attributes.size(),
                        attributes.lastModifiedTime().toMillis()));
            }
            entries.add(new Entry(entry.getFileName().toString(), jars, List.of()));
        }
        return entries;
    }

    /** The index of what {@code registry} loaded from entries fingerprinted as {@code before}. */
    static PluginIndex of(String host, List<Entry> before, PluginRegistry registry) {
        List<Entry> entries = new ArrayList<>();
        for (Entry entry : before) {
            List<String> strategies = registry.strategies().stream()
                    .filter(strategy ->
                            strategy.source().getFileName().toString().equals(entry.name()))
                    .map(InstalledStrategy::name)
                    .toList();
            entries.add(new Entry(entry.name(), entry.jars(), strategies));
        }
        return new PluginIndex(host, entries);
    }

    /**
     * Whether this index still describes the directory whose entries are {@code now}, for {@code host}.
     * Compared field by field: a record's generated equals would bootstrap method handles on every
     * action, a cost the index is there to save.
     */
    boolean isCurrent(String currentHost, List<Entry> now) {
        if (!host.equals(currentHost) || now.size() != entries.size()) {
            return false;
        }
        for (int i = 0; i < now.size(); i++) {
            if (!sameFiles(entries.get(i), now.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** Whether two fingerprints of the directory agree (strategies aside). */
    public static boolean sameFiles(List<Entry> one, List<Entry> other) {
        if (one.size() != other.size()) {
            return false;
        }
        for (int i = 0; i < one.size(); i++) {
            if (!sameFiles(one.get(i), other.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameFiles(Entry one, Entry other) {
        if (!one.name().equals(other.name())
                || one.jars().size() != other.jars().size()) {
            return false;
        }
        for (int j = 0; j < one.jars().size(); j++) {
            Jar a = one.jars().get(j);
            Jar b = other.jars().get(j);
            if (!a.path().equals(b.path()) || a.size() != b.size() || a.modifiedMillis() != b.modifiedMillis()) {
                return false;
            }
        }
        return true;
    }

    /** The entry that provides {@code strategy}, if one does. */
    Optional<String> entryFor(String strategy) {
        for (Entry entry : entries) {
            if (entry.strategies().contains(strategy)) {
                return Optional.of(entry.name());
            }
        }
        return Optional.empty();
    }

    /** The index kept in {@code directory}; empty when there is none or it cannot be read as one. */
    static Optional<PluginIndex> read(Path directory) {
        Path file = directory.resolve(FILE);
        Properties properties = new Properties();
        // java.io rather than a channel: its classes are loaded already, and this runs on every action
        if (Files.isSymbolicLink(file)) {
            return Optional.empty();
        }
        try (InputStream in = new FileInputStream(file.toFile())) {
            byte[] content = in.readNBytes(LARGEST_FILE + 1);
            if (content.length > LARGEST_FILE) {
                return Optional.empty();
            }
            properties.load(new StringReader(new String(content, StandardCharsets.UTF_8)));
        } catch (FileNotFoundException missing) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException damaged) {
            return Optional.empty();
        }
        try {
            if (!FORMAT.equals(properties.getProperty("format"))) {
                return Optional.empty();
            }
            List<Entry> entries = new ArrayList<>();
            int count = Integer.parseInt(properties.getProperty("entries"));
            for (int i = 0; i < count; i++) {
                String name = requireNonNull(properties.getProperty(key(i, -1, "name")), "name");
                if (!isPlainName(name)) {
                    return Optional.empty();
                }
                List<Jar> jars = new ArrayList<>();
                int jarCount = Integer.parseInt(properties.getProperty(key(i, -1, "jars")));
                for (int j = 0; j < jarCount; j++) {
                    jars.add(new Jar(
                            requireNonNull(properties.getProperty(key(i, j, "path")), "path"),
                            Long.parseLong(properties.getProperty(key(i, j, "size"))),
                            Long.parseLong(properties.getProperty(key(i, j, "modified")))));
                }
                String strategies = properties.getProperty(key(i, -1, "strategies"), "");
                entries.add(
                        new Entry(name, jars, strategies.isEmpty() ? List.of() : List.of(strategies.split(",", -1))));
            }
            return Optional.of(new PluginIndex(requireNonNull(properties.getProperty("host"), "host"), entries));
        } catch (RuntimeException damaged) {
            return Optional.empty();
        }
    }

    /**
     * The key of a field of entry {@code entry}, or of its jar {@code jar} when not negative. Built
     * without {@code +}: this runs on every action, where each new shape of string concatenation costs
     * method handles spun cold.
     */
    private static String key(int entry, int jar, String field) {
        StringBuilder key = new StringBuilder("entry.").append(entry).append('.');
        if (jar >= 0) {
            key.append("jar.").append(jar).append('.');
        }
        return key.append(field).toString();
    }

    /** Writes this index into {@code directory}, atomically, without following a link. */
    void write(Path directory) throws IOException {
        Map<String, String> values = new TreeMap<>();
        values.put("format", FORMAT);
        values.put("host", host);
        values.put("entries", Integer.toString(entries.size()));
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            values.put(key(i, -1, "name"), entry.name());
            values.put(key(i, -1, "strategies"), String.join(",", entry.strategies()));
            values.put(key(i, -1, "jars"), Integer.toString(entry.jars().size()));
            for (int j = 0; j < entry.jars().size(); j++) {
                Jar jar = entry.jars().get(j);
                values.put(key(i, j, "path"), jar.path());
                values.put(key(i, j, "size"), Long.toString(jar.size()));
                values.put(key(i, j, "modified"), Long.toString(jar.modifiedMillis()));
            }
        }
        byte[] text = PropertiesText.bytes(
                "vpc-ha plugin index: which plugin provides which strategy. Made by the host when plugins change; "
                        + "safe to delete",
                values);
        SafeFiles.writeAtomically(directory.resolve(FILE), text, PosixFilePermissions.fromString("rw-r--r--"));
    }

    private static boolean isPlainName(String name) {
        return !name.isEmpty() && !name.startsWith(".") && !name.contains("/") && !name.contains("\0");
    }
}
