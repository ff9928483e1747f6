package io.vpcha.spi.api;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The public surface of the SPI as text: every public type and every public or protected member with
 * its full generic signature, one a line, grouped by type and sorted, so that two versions compare
 * line by line and a reviewer reads every change in a diff. A changed signature is a removed line
 * and an added one.
 *
 * <pre>
 * # SPI 1.1
 * public final record io.vpcha.spi.MonitorRequest
 *   extends java.lang.Record
 *   public static io.vpcha.spi.MonitorRequest io.vpcha.spi.MonitorRequest.probe()
 * </pre>
 *
 * @param version the SPI version the surface belongs to, MAJOR.MINOR
 * @param types each type's header line and its member lines
 */
record SpiApi(String version, Map<String, List<String>> types) {
    private static final Pattern HEADER = Pattern.compile("# SPI (\\d+)\\.(\\d+)");
    private static final String INDENT = "  ";

    SpiApi {
        requireNonNull(version, "version is null");
        Map<String, List<String>> copy = new TreeMap<>(byTypeName());
        types.forEach((type, members) -> copy.put(type, List.copyOf(new TreeSet<>(members))));
        types = Collections.unmodifiableMap(copy);
    }

    /** Orders type lines by the type's name, the last word of the line. */
    private static Comparator<String> byTypeName() {
        return Comparator.<String, String>comparing(header -> header.substring(header.lastIndexOf(' ') + 1))
                .thenComparing(Comparator.naturalOrder());
    }

    /** The surface of the public types among {@code classes} (nested public types included). */
    static SpiApi of(String version, List<Class<?>> classes) {
        Map<String, List<String>> types = new TreeMap<>();
        for (Class<?> type : classes) {
            add(type, types);
        }
        return new SpiApi(version, types);
    }

    private static void add(Class<?> type, Map<String, List<String>> types) {
        if (!Modifier.isPublic(type.getModifiers()) || type.isSynthetic() || type.isAnonymousClass()) {
            return;
        }
        List<String> members = new ArrayList<>();
        Type superclass = type.getGenericSuperclass();
        if (superclass != null && superclass != Object.class) {
            members.add("extends " + superclass.getTypeName());
        }
        for (Type superinterface : type.getGenericInterfaces()) {
            members.add((type.isInterface() ? "extends " : "implements ") + superinterface.getTypeName());
        }
        for (Field field : type.getDeclaredFields()) {
            if (visible(field)) {
                members.add(field.toGenericString());
            }
        }
        for (Constructor<?> constructor : type.getDeclaredConstructors()) {
            if (visible(constructor)) {
                members.add(constructor.toGenericString());
            }
        }
        for (Method method : type.getDeclaredMethods()) {
            if (visible(method) && !method.isBridge()) {
                members.add(method.toGenericString());
            }
        }
        types.put(type.toGenericString(), members);
        for (Class<?> nested : type.getDeclaredClasses()) {
            add(nested, types);
        }
    }

    private static boolean visible(Member member) {
        int modifiers = member.getModifiers();
        return !member.isSynthetic() && (Modifier.isPublic(modifiers) || Modifier.isProtected(modifiers));
    }

    /** Every class of the packages under {@code io.vpcha.spi} in a classes folder, loaded by {@code loader}. */
    static List<Class<?>> classesIn(Path classesFolder, ClassLoader loader) throws IOException {
        List<Class<?>> classes = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(classesFolder)) {
            for (Path file : walk.filter(path -> path.toString().endsWith(".class"))
                    .sorted()
                    .toList()) {
                String name = classesFolder
                        .relativize(file)
                        .toString()
                        .replace('/', '.')
                        .replaceAll("\\.class$", "");
                if (name.startsWith("io.vpcha.spi.") && !name.contains("$") && !name.endsWith("package-info")) {
                    try {
                        classes.add(Class.forName(name, false, loader));
                    } catch (ClassNotFoundException e) {
                        throw new IllegalStateException(name + " is in " + classesFolder + " but cannot be loaded", e);
                    }
                }
            }
        }
        return classes;
    }

    /** The text form, as kept in {@code spi/api}. */
    String text() {
        StringBuilder text = new StringBuilder();
        text.append("# SPI ").append(version).append('\n');
        text.append("# The public API of io.vpcha:vpc-ha-spi, every type and member with its signature. Checked by\n");
        text.append("# TestSpiApi: regenerate with mvn -pl spi test -Dtest=TestSpiApi -Dvpcha.api.update=true and\n");
        text.append("# review the diff. A removed or changed line breaks plugins; an added one raises the minor.\n");
        types.forEach((type, members) -> {
            text.append('\n').append(type).append('\n');
            members.forEach(member -> text.append(INDENT).append(member).append('\n'));
        });
        return text.toString();
    }

    static SpiApi read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        Matcher header = lines.isEmpty() ? null : HEADER.matcher(lines.get(0));
        if (header == null || !header.matches()) {
            throw new IllegalArgumentException(file + " does not start with '# SPI MAJOR.MINOR'");
        }
        Map<String, List<String>> types = new LinkedHashMap<>();
        List<String> current = null;
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith(INDENT)) {
                if (current == null) {
                    throw new IllegalArgumentException(file + ": a member before any type: " + line);
                }
                current.add(line.substring(INDENT.length()));
            } else {
                current = new ArrayList<>();
                types.put(line, current);
            }
        }
        return new SpiApi(header.group(1) + "." + header.group(2), types);
    }

    int major() {
        return Integer.parseInt(version.substring(0, version.indexOf('.')));
    }

    int minor() {
        return Integer.parseInt(version.substring(version.indexOf('.') + 1));
    }

    /** Orders versions by major, then minor. */
    static Comparator<SpiApi> byVersion() {
        return Comparator.comparingInt(SpiApi::major).thenComparingInt(SpiApi::minor);
    }

    /** The lines of this surface not in {@code other}, each as "type: member" (or the type alone). */
    List<String> notIn(SpiApi other) {
        List<String> missing = new ArrayList<>();
        types.forEach((type, members) -> {
            List<String> theirs = other.types.get(type);
            if (theirs == null) {
                missing.add(type);
                return;
            }
            members.stream()
                    .filter(member -> !theirs.contains(member))
                    .forEach(member -> missing.add(type + ": " + member));
        });
        return missing;
    }

    /**
     * Why a plugin built against {@code released} would not run against this surface: a type or
     * member removed or changed, or an abstract method added to a type a plugin may implement or extend
     * (which a plugin compiled earlier does not have). Empty when it would.
     */
    List<String> incompatibilitiesWith(SpiApi released) {
        List<String> problems = new ArrayList<>();
        released.notIn(this).forEach(line -> problems.add("removed or changed: " + line));
        types.forEach((type, members) -> {
            List<String> before = released.types.get(type);
            if (before == null) {
                return;
            }
            members.stream()
                    .filter(member -> !before.contains(member))
                    .filter(member -> member.matches("(public|protected) (.* )?abstract .*\\(.*"))
                    .forEach(member ->
                            problems.add("abstract method added (make it a default method): " + type + ": " + member));
        });
        return problems;
    }

    /** Whether the two surfaces list the same types and members (whatever their versions). */
    boolean sameSurface(SpiApi other) {
        return types.equals(other.types);
    }

    /** The released surface with the highest version, if any. */
    static Optional<SpiApi> latest(List<SpiApi> released) {
        return released.stream().max(byVersion());
    }
}
