package dev.mailroom.core.delivery;

import dev.mailroom.core.campaign.CampaignContent;
import dev.mailroom.core.dkim.DkimSigningKey;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.RecipientTokens.Purpose;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.template.Template;
import dev.mailroom.core.testemail.TestEmail;
import java.util.Map;

/**
 * The one place an outgoing message is built, for campaign recipients and test emails alike (listmonk's
 * NewCampaignMessage): its deterministic Message-ID, sender, rendered subject and bodies, its one-click
 * unsubscribe link (I18), its envelope sender (VERP when the sender has a bounce domain) and the sender's
 * DKIM key. Whatever every message must carry is added here, so no path can forget it. One factory per
 * sender and batch.
 */
public final class MessageFactory {
    private final Sender sender;
    private final MessageStamps stamps;
    private final String fromDomain;
    private final DkimSigningKey dkim;

    /** Opens the sender's DKIM key (cached per sender); throws when it cannot be opened. */
    public MessageFactory(Sender sender, MessageStamps stamps) {
        this.sender = sender;
        this.stamps = stamps;
        this.fromDomain = sender.fromEmail().substring(sender.fromEmail().indexOf('@') + 1);
        this.dkim = stamps.dkimKeys().forSender(sender);
    }

    public OutgoingMessage forRecipient(long campaignId, Recipient r, CampaignContent content) {
        Addressee who = Addressee.recipient(campaignId, r.id());
        return build(r.id(), MessageIds.of(who, fromDomain), r.email(), who,
                content.subject(), content.html(), content.text(), r.email(), r.name(), r.vars());
    }

    /**
     * A test email goes to its own address but is rendered with the data of the recipient it names (email,
     * name, vars), exactly as that recipient's campaign message; with none, those placeholders render empty.
     * Its unsubscribe link is its own: it shows the page but suppresses nobody.
     */
    public OutgoingMessage forTestEmail(TestEmail t) {
        Addressee who = Addressee.testEmail(t.id());
        TestEmail.RenderedAs as = t.renderedAs();
        return build(t.id(), MessageIds.of(who, fromDomain), t.to(), who, t.subject(), t.html(), t.text(),
                as == null ? "" : as.email(), as == null ? "" : as.name(), as == null ? Map.of() : as.vars());
    }

    private OutgoingMessage build(long key, String messageId, String to, Addressee who, String subject, String html,
                                  String text, String email, String name, Map<String, String> vars) {
        String unsubscribeUrl = stamps.publicUrl().unsubscribe(stamps.tokens().issue(Purpose.UNSUBSCRIBE, who));
        String envelopeFrom = sender.bounceDomain() == null ? null : stamps.verp().of(who, sender.bounceDomain());
        Template.Person p = new Template.Person(email, name, vars, unsubscribeUrl);
        return new OutgoingMessage(key, messageId, sender.fromEmail(), sender.fromName(), to,
                Template.renderHeader(subject, p), Template.render(html, p, true), Template.render(text, p, false),
                unsubscribeUrl, envelopeFrom, dkim);
    }
}
