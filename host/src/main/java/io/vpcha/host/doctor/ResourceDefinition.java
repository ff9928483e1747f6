package io.vpcha.host.doctor;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** A resource's parameters as the CIB defines them (crm_resource --query-xml), for doctor --resource. */
final class ResourceDefinition {
    private ResourceDefinition() {}

    /**
     * The primitive's instance attributes; for a per-strategy agent (type vpc-NAME) its strategy too.
     *
     * @throws IllegalArgumentException when the XML is no primitive
     */
    static Map<String, String> parameters(String xml) {
        int start = xml.indexOf("<primitive");
        if (start < 0) {
            throw new IllegalArgumentException(
                    "no primitive in the resource's definition (a group or clone? name its " + "primitive)");
        }
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            Document document = factory.newDocumentBuilder()
                    .parse(new ByteArrayInputStream(xml.substring(start).getBytes(StandardCharsets.UTF_8)));
            NodeList primitives = document.getElementsByTagName("primitive");
            if (primitives.getLength() == 0) {
                throw new IllegalArgumentException("no primitive in the resource's definition");
            }
            Element primitive = (Element) primitives.item(0);
            Map<String, String> parameters = new LinkedHashMap<>();
            String type = primitive.getAttribute("type");
            if (type.startsWith("vpc-") && !type.equals("vpc-ha")) {
                parameters.put("strategy", type.substring("vpc-".length()));
            }
            NodeList attributes = primitive.getElementsByTagName("instance_attributes");
            for (int i = 0; i < attributes.getLength(); i++) {
                NodeList pairs = ((Element) attributes.item(i)).getElementsByTagName("nvpair");
                for (int j = 0; j < pairs.getLength(); j++) {
                    Element pair = (Element) pairs.item(j);
                    parameters.put(pair.getAttribute("name"), pair.getAttribute("value"));
                }
            }
            return parameters;
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot read the resource's definition: " + e.getMessage(), e);
        }
    }
}
