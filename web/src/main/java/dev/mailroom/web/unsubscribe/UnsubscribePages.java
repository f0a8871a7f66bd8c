package dev.mailroom.web.unsubscribe;

import dev.mailroom.core.template.Template;

/**
 * The three small pages a recipient sees. Static HTML with one stylesheet, no script and no style
 * attributes, so the strict Content-Security-Policy sent with them holds. Every text is escaped.
 */
final class UnsubscribePages {
    private UnsubscribePages() {}

    /** The page a link opens: one button that POSTs back to the same link; opening it writes nothing. */
    static String confirm(String token, String senderName) {
        // Relative, so the POST reaches the same link behind a proxy that serves Mailroom under a path.
        String action = escape(token);
        return page("Unsubscribe", """
                <h1 id="title">Unsubscribe</h1>
                <p>Stop receiving mailings from <strong>%s</strong> at this address.</p>
                <form method="post" action="%s" aria-labelledby="title">
                  <input type="hidden" name="List-Unsubscribe" value="One-Click">
                  <button type="submit">Unsubscribe</button>
                </form>
                """.formatted(escape(senderName), action));
    }

    static String done(String senderName) {
        return page("Unsubscribed", """
                <h1>You are unsubscribed</h1>
                <p role="status">You will receive no more mailings from <strong>%s</strong> at this address.</p>
                """.formatted(escape(senderName)));
    }

    static String notFound() {
        return page("Link not valid", """
                <h1>This link is not valid</h1>
                <p>It may have been mistyped or belong to a mailing that no longer exists.</p>
                """);
    }

    private static String page(String title, String main) {
        return """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <meta name="robots" content="noindex">
                  <title>%s</title>
                  <link rel="stylesheet" href="/unsubscribe.css">
                </head>
                <body>
                <main>
                %s</main>
                </body>
                </html>
                """.formatted(escape(title), main);
    }

    static String escape(String s) {
        return s == null ? "" : Template.escapeHtml(s);
    }
}
