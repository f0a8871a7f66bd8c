package dev.mailroom.core.template;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Placeholders {@code {{name}}}, {@code {{email}}}, {@code {{vars.key}}} and {@code {{unsubscribe_url}}} (the
 * message's own one-click link, I18); unknown ones render empty.
 * With {@code html} the substituted values are HTML-escaped, so recipient data cannot inject markup.
 */
public final class Template {
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z0-9_.-]+)\\s*}}");

    private Template() {}

    public record Person(String email, String name, Map<String, String> vars, String unsubscribeUrl) {}

    public static String render(String template, Person p, boolean html) {
        if (template == null) return null;
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 32);
        while (m.find()) {
            String value = lookup(m.group(1), p);
            m.appendReplacement(out, Matcher.quoteReplacement(html ? escapeHtml(value) : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Header-bound text (subject): values lose CR/LF so a recipient's data cannot add headers. */
    public static String renderHeader(String template, Person p) {
        return render(template, p, false).replaceAll("[\\r\\n]+", " ");
    }

    private static String lookup(String key, Person p) {
        String v = switch (key) {
            case "name" -> p.name();
            case "email" -> p.email();
            case "unsubscribe_url" -> p.unsubscribeUrl();
            default -> key.startsWith("vars.") && p.vars() != null ? p.vars().get(key.substring(5)) : null;
        };
        return v == null ? "" : v;
    }

    /** Text made safe inside HTML element content and quoted attribute values. */
    public static String escapeHtml(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
