package io.vpcha.host.cli;

import io.vpcha.host.cloud.CloudParameters;
import io.vpcha.host.doctor.Check;
import io.vpcha.host.doctor.Doctor;
import io.vpcha.host.doctor.PacemakerSettings;
import io.vpcha.host.ocf.OcfEnvironment;
import io.vpcha.host.parameter.CommonParameters;
import io.vpcha.host.plugin.PluginRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Checks a resource's configuration end to end and says, one line per check, what to fix. */
@Command(
        name = "doctor",
        description = {
            "Check everything a resource needs: plugin, parameters, metadata service, "
                    + "credentials, the strategy's cloud resources and read permissions, fencing and operation timeouts. Give the "
                    + "resource's parameters as NAME=VALUE, or --resource NAME to read them from the CIB."
        })
final class DoctorCommand implements Callable<Integer> {
    private final CliContext context;

    @Mixin
    HelpOption help;

    @Option(names = "--resource", paramLabel = "NAME", description = "Read the parameters of this CIB resource.")
    String resource;

    @Parameters(paramLabel = "NAME=VALUE", arity = "0..*", description = "The resource's parameters.")
    List<String> pairs = new ArrayList<>();

    DoctorCommand(CliContext context) {
        this.context = context;
    }

    @Override
    public Integer call() {
        // as the agent: OCF_RESKEY_* first, then the CIB's definition, then the command line's
        Map<String, String> parameters = new LinkedHashMap<>(new OcfEnvironment(context.environment).parameters());
        PacemakerSettings pacemaker = new PacemakerSettings(Optional.ofNullable(resource), context.environment);
        if (resource != null) {
            Optional<String> xml = pacemaker.definition(resource);
            if (xml.isEmpty()) {
                context.err.println("vpc-ha: crm_resource cannot show resource " + resource);
                return ExitCodes.NOT_FOUND;
            }
            try {
                parameters.putAll(PacemakerSettings.parameters(xml.get()));
            } catch (IllegalArgumentException e) {
                context.err.println("vpc-ha: " + e.getMessage());
                return ExitCodes.FAILED;
            }
        }
        PluginRegistry registry = context.loadPlugins();
        for (String pair : pairs) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                context.err.println("vpc-ha: '" + pair + "' is not NAME=VALUE");
                return ExitCodes.USAGE;
            }
            String name = pair.substring(0, equals);
            String value = pair.substring(equals + 1);
            // api_key=@/path names a file holding the key: the path is no secret
            if (isSecret(name, registry) && !(name.equals(CloudParameters.API_KEY) && value.startsWith("@"))) {
                // every user of the machine can read a process's arguments (ps)
                context.err.println("vpc-ha: " + name + " is a secret: pass it as OCF_RESKEY_" + name
                        + " in the environment, or use api_key_file, never on the command line");
                return ExitCodes.USAGE;
            }
            parameters.put(name, value);
        }
        String node = context.environment.getOrDefault(
                "OCF_RESKEY_CRM_meta_on_node", pacemaker.localNodeName().orElse("localhost"));
        Path stateRoot = Path.of(context.environment.getOrDefault("HA_RSCTMP", "/run/resource-agents"));
        // the agent's instance is the resource's id (the CIB's, or Pacemaker's own when run as it runs the agent)
        Optional<String> instance = Optional.ofNullable(resource)
                .or(() -> Optional.ofNullable(context.environment.get("OCF_RESOURCE_INSTANCE")))
                .filter(name -> !name.isBlank());
        List<Check> checks =
                new Doctor(registry, pacemaker, node, stateRoot, instance).examine(parameters, context.err);
        checks.forEach(check -> context.out.println(check.line()));
        return checks.stream().anyMatch(check -> check.status() == Check.Status.FAIL) ? ExitCodes.FAILED : ExitCodes.OK;
    }

    /** Whether {@code name} is, or is an alias of, a sensitive parameter of the host or of any strategy. */
    private static boolean isSecret(String name, PluginRegistry registry) {
        return Stream.concat(
                        CommonParameters.all().stream(),
                        registry.strategies().stream().flatMap(strategy -> strategy.parameters().stream()))
                .anyMatch(spec -> spec.sensitive() && spec.answersTo(name));
    }
}
