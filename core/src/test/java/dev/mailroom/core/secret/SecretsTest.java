package dev.mailroom.core.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mailroom.core.secret.RecipientTokens.Addressee;
import dev.mailroom.core.secret.RecipientTokens.Purpose;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
    private static final String K1 = "k1:" + Base64.getEncoder().encodeToString(new byte[32]);
    private static final String K2 = "k2:" + Base64.getEncoder().encodeToString(filled(7));

    private static byte[] filled(int b) {
        byte[] a = new byte[32];
        java.util.Arrays.fill(a, (byte) b);
        return a;
    }

    @Test
    void theRingRefusesBadValuesWithoutPrintingThem() {
        assertThatThrownBy(() -> KeyRing.parse("k1:c2hvcnQ=")).hasMessageContaining("32 bytes").hasMessageNotContaining("c2hvcnQ");
        assertThatThrownBy(() -> KeyRing.parse("K 1:" + K1.substring(3))).hasMessageContaining("kid");
        assertThatThrownBy(() -> KeyRing.parse(K1 + "," + K1)).hasMessageContaining("twice");
        assertThatThrownBy(() -> KeyRing.fromEnvironment(Map.of())).hasMessageContaining("MAILROOM_SECRET_KEY");
        assertThat(KeyRing.fromEnvironment(Map.of("MAILROOM_ENV", "dev")).currentKid()).isEqualTo("dev");
        assertThat(KeyRing.parse(K1).toString()).doesNotContain(K1.substring(3));
    }

    @Test
    void aSealedSecretOpensUnderEveryKeyOfTheRingAndOnlyForItsPurpose() {
        SecretSealer old = new SecretSealer(KeyRing.parse(K1));
        String sealed = old.seal("hunter2", "smtp_password");
        assertThat(sealed).startsWith("v1:k1:").doesNotContain("hunter2");
        assertThat(old.seal("hunter2", "smtp_password")).isNotEqualTo(sealed);

        SecretSealer rotated = new SecretSealer(KeyRing.parse(K2 + "," + K1));
        assertThat(rotated.open(sealed, "smtp_password")).isEqualTo("hunter2");
        assertThat(rotated.seal("x", "smtp_password")).startsWith("v1:k2:");
        assertThatThrownBy(() -> rotated.open(sealed, "dkim_private_key")).isInstanceOf(SecretSealer.SealedSecretUnreadable.class);
        assertThatThrownBy(() -> new SecretSealer(KeyRing.parse(K2)).open(sealed, "smtp_password"))
                .hasMessageContaining("k1").hasMessageNotContaining("hunter2");
        String altered = sealed.substring(0, sealed.length() - 2) + (sealed.endsWith("A") ? "BB" : "AA");
        assertThatThrownBy(() -> old.open(altered, "smtp_password")).isInstanceOf(SecretSealer.SealedSecretUnreadable.class);
    }

    @Test
    void aTokenNamesItsAddresseeAndNothingElseVerifies() {
        RecipientTokens tokens = new RecipientTokens(KeyRing.parse(K1));
        Addressee who = Addressee.recipient(42, 9_876_543_210L);
        String t = tokens.issue(Purpose.UNSUBSCRIBE, who);
        assertThat(t).matches("k1\\.[a-z2-7]+").hasSizeLessThan(60);
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, t)).contains(who);
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, t.toUpperCase())).contains(who);
        assertThat(tokens.verify(Purpose.BOUNCE, t)).isEmpty();
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, "k9" + t.substring(2))).isEmpty();
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, null)).isEmpty();
        assertThat(tokens.verify(Purpose.UNSUBSCRIBE, "k1.")).isEmpty();
        for (int i = 3; i < t.length(); i++) {
            char c = t.charAt(i) == 'a' ? 'b' : 'a';
            String tampered = t.substring(0, i) + c + t.substring(i + 1);
            assertThat(tokens.verify(Purpose.UNSUBSCRIBE, tampered)).as("altered at %d", i).isEmpty();
        }
        assertThat(new RecipientTokens(KeyRing.parse(K2 + "," + K1)).verify(Purpose.UNSUBSCRIBE, t)).contains(who);
        assertThat(new RecipientTokens(KeyRing.parse(K2)).verify(Purpose.UNSUBSCRIBE, t)).isEmpty();
        Addressee test = Addressee.testEmail(5);
        assertThat(tokens.verify(Purpose.BOUNCE, tokens.issue(Purpose.BOUNCE, test))).hasValueSatisfying(a -> assertThat(a.isTestEmail()).isTrue());
    }

    @Test
    void aVerpAddressNamesItsRecipientWhateverTheCaseARelayGivesIt() {
        VerpAddress verp = new VerpAddress(new RecipientTokens(KeyRing.parse(K1)));
        Addressee who = Addressee.recipient(7, 123);
        String address = verp.of(who, "Bounce.Example.com");
        assertThat(address).startsWith("bounces+k1.").endsWith("@bounce.example.com");
        assertThat(address.substring(0, address.indexOf('@'))).hasSizeLessThanOrEqualTo(64);
        assertThat(verp.parse("<" + address.toUpperCase() + ">")).contains(who);
        assertThat(verp.parse("news@example.com")).isEmpty();
        assertThat(verp.parse(address.replace("bounces+", "other+"))).isEmpty();
    }
}
