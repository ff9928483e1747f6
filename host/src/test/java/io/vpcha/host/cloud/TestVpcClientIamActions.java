package io.vpcha.host.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import io.vpcha.host.cloud.vpc.VpcCall;
import io.vpcha.host.testing.IamPolicyDoc;
import io.vpcha.spi.cloud.VpcApi;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Every typed call of the host's client has an IAM action ({@link VpcCall}), and that table says what
 * docs/iam-policy.md says; {@link TestHostCloudAccess} shows a refusal naming it.
 */
class TestVpcClientIamActions {
    /** A row of the policy's table of the host's calls: method, request, what a refusal says. */
    private static final Pattern HOST_ROW = Pattern.compile("^\\| `(\\w+)` \\| `([A-Z]+ [^`]+)` \\| `([^`]+)` \\|$");

    /** The typed calls: every abstract method of the SPI's VPC API but the raw {@code send}. */
    static List<Method> typedCalls() {
        return Arrays.stream(VpcApi.class.getMethods())
                .filter(method -> Modifier.isAbstract(method.getModifiers()))
                .filter(method -> !method.getName().equals("send"))
                .toList();
    }

    @Test
    void everyTypedCallHasAnIamActionAndNoActionIsLeftOver() {
        List<String> methods = typedCalls().stream().map(Method::getName).toList();

        assertThat(methods)
                .as("a typed call without an IAM action in VpcCall")
                .allSatisfy(method -> assertThat(VpcCall.of(method)).as(method).isPresent());
        assertThat(Arrays.stream(VpcCall.values()).map(VpcCall::method))
                .as("an action in VpcCall for no typed call")
                .allSatisfy(method -> assertThat(methods).contains(method));
        assertThat(VpcCall.values())
                .allSatisfy(call -> assertThat(call.needs())
                        .matches("(probably )?needs IAM action is\\.[a-z.-]+[a-z]( and probably is\\.[a-z.-]+[a-z])?"));
    }

    @Test
    void thePolicyListsEveryTypedCallWithItsAction() {
        List<String> lines = IamPolicyDoc.lines();
        Set<String> documented = new LinkedHashSet<>();
        for (String line : lines) {
            Matcher row = HOST_ROW.matcher(line);
            if (row.matches()) {
                documented.add(row.group(1) + " | " + row.group(2) + " | " + row.group(3));
            }
        }
        Set<String> coded = Arrays.stream(VpcCall.values())
                .map(call -> call.method() + " | " + call.request() + " | " + call.needs())
                .collect(Collectors.toCollection(LinkedHashSet::new));

        assertThat(documented)
                .as("docs/iam-policy.md, \"The host's client, call by call\", against VpcCall")
                .containsExactlyInAnyOrderElementsOf(coded);
    }

    @Test
    void theStrategiesTablesNameTheActionsOfTheHostsCallsTheyList() {
        Map<String, String> needs = new LinkedHashMap<>();
        for (VpcCall call : VpcCall.values()) {
            needs.putIfAbsent(call.request(), call.needs());
        }

        assertThat(IamPolicyDoc.assertRowsNameTheActions(needs))
                .as("typed calls the strategies' tables list")
                .hasSizeGreaterThan(12);
    }
}
