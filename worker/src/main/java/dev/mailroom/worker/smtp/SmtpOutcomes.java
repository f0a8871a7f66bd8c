package dev.mailroom.worker.smtp;

import dev.mailroom.core.delivery.DeliveryOutcome;
import dev.mailroom.core.delivery.SmtpReplyCodes;
import jakarta.mail.MessagingException;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;

/** Classifies a failed send: 4xx transient, 5xx permanent, a broken connection after DATA ambiguous. */
final class SmtpOutcomes {
    private SmtpOutcomes() {}

    static DeliveryOutcome classify(MessagingException e, boolean bodyWritten) {
        MessagingException answered = serverAnswer(e);
        if (answered != null) {
            int code = returnCode(answered);
            String reply = answered.getMessage(); // the server's own reply line
            if (code >= 500) return new DeliveryOutcome.Failed(code, reply, SmtpReplyCodes.isHardBounce(code, reply));
            if (code >= 400) return new DeliveryOutcome.RetryLater(code, reply, false);
        }
        // No SMTP answer: the connection broke. After the whole body went out we cannot know.
        String reply = e.getMessage();
        return bodyWritten ? new DeliveryOutcome.Unknown(0, reply) : new DeliveryOutcome.RetryLater(0, reply, true);
    }

    /** The innermost exception carrying an SMTP reply (Angus nests the per-address one). */
    private static MessagingException serverAnswer(MessagingException e) {
        MessagingException found = null;
        for (Exception x = e; x != null; x = x instanceof MessagingException m ? m.getNextException() : null) {
            if (x instanceof MessagingException m && returnCode(m) > 0) found = m;
        }
        return found;
    }

    private static int returnCode(MessagingException x) {
        if (x instanceof SMTPAddressFailedException a) return a.getReturnCode();
        if (x instanceof SMTPSenderFailedException s) return s.getReturnCode();
        if (x instanceof SMTPSendFailedException s) return s.getReturnCode();
        return 0;
    }
}
