package dev.mailroom.bench;

/**
 * The campaign content the harness sends: {{name}} and {{plan}} placeholders, sized so that the MIME
 * message the worker renders (multipart/alternative, text and HTML) is about 2 KB, the size of the
 * machine-limit figures in shared/STACK.md.
 */
public record MessageTemplate(String subject, String html, String text) {

    public static MessageTemplate standard() {
        String para = "This is the monthly Mailroom news letter for the {{plan}} plan. It carries a paragraph of "
                + "plain prose so that the message has a realistic size on the wire.";
        String html = "<html><body><h1>Hello {{name}}</h1>"
                + ("<p>" + para + "</p>").repeat(3)
                + "<p><a href=\"https://example.com/unsubscribe\">Unsubscribe</a></p></body></html>";
        String text = "Hello {{name}}\n\n" + (para + "\n\n").repeat(3) + "Unsubscribe: https://example.com/unsubscribe\n";
        return new MessageTemplate("News for {{name}}", html, text);
    }
}
