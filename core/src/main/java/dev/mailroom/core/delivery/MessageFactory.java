package dev.mailroom.core.delivery;

import dev.mailroom.core.campaign.CampaignContent;
import dev.mailroom.core.recipient.Recipient;
import dev.mailroom.core.sender.Sender;
import dev.mailroom.core.template.Template;
import dev.mailroom.core.testemail.TestEmail;
import java.util.Map;

/**
 * The one place an outgoing message is built, for campaign recipients and test emails alike (listmonk's
 * NewCampaignMessage): its deterministic Message-ID, sender, rendered subject and bodies. Whatever every
 * message must carry is added here, so no path can forget it. One factory per sender and batch.
 */
public final class MessageFactory {
    /** A test email is rendered as for a recipient with no name and no vars. */
    private static final Template.Person NOBODY = new Template.Person("", "", Map.of());

    private final Sender sender;
    private final String fromDomain;

    public MessageFactory(Sender sender) {
        this.sender = sender;
        this.fromDomain = sender.fromEmail().substring(sender.fromEmail().indexOf('@') + 1);
    }

    public OutgoingMessage forRecipient(long campaignId, Recipient r, CampaignContent content) {
        Template.Person p = new Template.Person(r.email(), r.name(), r.vars());
        return build(r.id(), "<mr." + campaignId + "." + r.id() + "@" + fromDomain + ">", r.email(),
                content.subject(), content.html(), content.text(), p);
    }

    public OutgoingMessage forTestEmail(TestEmail t) {
        return build(t.id(), "<mr.test." + t.id() + "@" + fromDomain + ">", t.to(), t.subject(), t.html(), t.text(), NOBODY);
    }

    /** The same recipient always gets the same Message-ID, so a receiver can de-duplicate a retry. */
    private OutgoingMessage build(long key, String messageId, String to, String subject, String html, String text,
                                  Template.Person p) {
        return new OutgoingMessage(key, messageId, sender.fromEmail(), sender.fromName(), to,
                Template.renderHeader(subject, p), Template.render(html, p, true), Template.render(text, p, false));
    }
}
