package io.vpcha.host.metadata;

/**
 * Renders an {@link AgentDescription} as OCF 1.1 resource-agent meta-data.
 *
 * <p>The document names resource-agents' {@code ra-api-1.dtd}, which ocf-tester validates against.
 * The DTD that distributions still ship (Debian 12's resource-agents 4.12 among them) predates OCF
 * 1.1, so the document's internal subset declares what OCF 1.1 added and Pacemaker reads: the
 * {@code reloadable}, {@code unique-group} and {@code private} parameter attributes and the
 * {@code reload-agent} action. Declarations in the internal subset take precedence over the
 * external DTD, so the document stays valid with old and new DTDs alike.
 */
public final class MetadataXml {
    private MetadataXml() {}

    public static String render(AgentDescription agent) {
        StringBuilder xml = new StringBuilder(8192);
        xml.append("<?xml version=\"1.0\"?>\n");
        xml.append("<!DOCTYPE resource-agent SYSTEM \"ra-api-1.dtd\" [\n");
        xml.append("<!ATTLIST parameter reloadable (1|0) \"0\" unique-group CDATA #IMPLIED private (1|0) \"0\">\n");
        xml.append("<!ATTLIST action name (start|stop|recover|monitor|restart|migrate_to|migrate_from|promote|demote|"
                + "notify|status|reload|reload-agent|meta-data|usage|methods|validate-all) #REQUIRED>\n");
        xml.append("]>\n");
        xml.append("<resource-agent name=\"")
                .append(escape(agent.agentName()))
                .append("\" version=\"")
                .append(escape(agent.version()))
                .append("\">\n");
        xml.append("<version>1.1</version>\n");
        xml.append("<longdesc lang=\"en\">\n")
                .append(escape(agent.longDescription()))
                .append("\n</longdesc>\n");
        xml.append("<shortdesc lang=\"en\">")
                .append(escape(agent.shortDescription()))
                .append("</shortdesc>\n");
        xml.append("<parameters>\n");
        for (AgentParameter parameter : agent.parameters()) {
            xml.append("<parameter name=\"").append(escape(parameter.name())).append('"');
            if (parameter.required()) {
                xml.append(" required=\"1\"");
            }
            parameter
                    .uniqueGroup()
                    .ifPresent(group ->
                            xml.append(" unique-group=\"").append(escape(group)).append('"'));
            if (parameter.reloadable()) {
                xml.append(" reloadable=\"1\"");
            }
            if (parameter.sensitive()) {
                xml.append(" private=\"1\"");
            }
            xml.append(">\n");
            xml.append("<longdesc lang=\"en\">\n")
                    .append(escape(parameter.longDescription()))
                    .append("\n</longdesc>\n");
            xml.append("<shortdesc lang=\"en\">")
                    .append(escape(parameter.shortDescription()))
                    .append("</shortdesc>\n");
            xml.append("<content type=\"").append(parameter.ocfContentType()).append('"');
            parameter
                    .defaultValue()
                    .ifPresent(value ->
                            xml.append(" default=\"").append(escape(value)).append('"'));
            xml.append("/>\n");
            xml.append("</parameter>\n");
        }
        xml.append("</parameters>\n");
        xml.append("<actions>\n");
        AgentAction.ALL.forEach(action -> xml.append(action.toXml()).append('\n'));
        xml.append("</actions>\n");
        xml.append("</resource-agent>\n");
        return xml.toString();
    }

    static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        escaped.append(' ');
                    } else {
                        escaped.append(c);
                    }
                }
            }
        }
        return escaped.toString();
    }
}
