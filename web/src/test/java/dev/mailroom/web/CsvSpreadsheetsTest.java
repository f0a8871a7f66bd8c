package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * CSV files as spreadsheets save them: Excel in a Russian or German locale writes semicolons, and on
 * Windows Cyrillic text in Windows-1251; headers say "E-mail" and "Имя"; a long list has a few bad rows.
 */
class CsvSpreadsheetsTest extends WebTestBase {
    private static final Charset CP1251 = Charset.forName("windows-1251");

    private Api.Res upload(long campaignId, String query, byte[] csv) {
        return Api.post("/api/campaigns/" + campaignId + "/recipients" + query, operator, "text/csv",
                HttpRequest.BodyPublishers.ofByteArray(csv));
    }

    private String nameOf(String email) {
        return dsl().select(CAMPAIGN_RECIPIENT.NAME).from(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.EMAIL.eq(email)).fetchOne().value1();
    }

    @Test
    void a_semicolon_separated_windows_1251_file_is_read_as_such_and_says_how_it_was_read() {
        long id = createCampaign(createSender("main"));
        byte[] csv = "email;name;город\r\nanna@example.com;Анна Петрова;Москва\r\nivan@example.com;\"Иван; мл.\";Казань\r\n"
                .getBytes(CP1251);
        Api.Res r = upload(id, "", csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("added").asInt()).isEqualTo(2);
        assertThat(r.get("delimiter").asText()).isEqualTo(";");
        assertThat(r.get("charset").asText()).isEqualTo("windows-1251");
        assertThat(nameOf("anna@example.com")).isEqualTo("Анна Петрова");
        assertThat(nameOf("ivan@example.com")).isEqualTo("Иван; мл.");
        assertThat(dsl().select(CAMPAIGN_RECIPIENT.VARS).from(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.EMAIL.eq("anna@example.com"))
                .fetchOne().value1()).isEqualTo("{\"город\":\"Москва\"}");
    }

    @Test
    void a_tab_separated_utf_8_file_with_a_bom_and_other_header_names_maps_its_columns() {
        long id = createCampaign(createSender("main"));
        byte[] csv = "\uFEFFИмя\tE-mail\tplan\nЗоя\tzoe@example.com\tpro\n".getBytes(StandardCharsets.UTF_8);
        String query = "?email_column=" + URLEncoder.encode("E-mail", StandardCharsets.UTF_8)
                + "&name_column=" + URLEncoder.encode("Имя", StandardCharsets.UTF_8);
        Api.Res r = upload(id, query, csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("delimiter").asText()).isEqualTo("tab");
        assertThat(r.get("charset").asText()).isEqualTo("utf-8");
        assertThat(nameOf("zoe@example.com")).isEqualTo("Зоя");

        Api.Res unmapped = upload(createCampaign(createSender("other")), "", csv);
        assertThat(unmapped.status()).isEqualTo(400);
        assertThat(unmapped.text()).contains("email_column").contains("E-mail");
        assertThat(unmapped.contentType()).as("the header is quoted in any script").contains("charset=utf-8");
        assertThat(unmapped.json().get("detail").asText()).as("the header as it was read").contains("Имя | E-mail | plan");
    }

    @Test
    void invalid_skip_loads_the_good_rows_and_lists_the_bad_ones_while_the_default_refuses_them_all() {
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < 302; i++) {
            if (i == 10 || i == 150) csv.append("not-an-address,N\n");
            else if (i == 200) csv.append("x").append(i).append("@example.com,N,extra\n");
            else if (i == 301) csv.append("@example.com,N\n");
            else csv.append("u").append(i).append("@example.com,N\n");
        }
        byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);

        long refused = createCampaign(createSender("a"));
        Api.Res all = upload(refused, "", bytes);
        assertThat(all.status()).isEqualTo(400);
        assertThat(all.get("errors").size()).isEqualTo(4);

        long id = createCampaign(createSender("b"));
        Api.Res r = upload(id, "?invalid=skip", bytes);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("added").asInt()).isEqualTo(298);
        assertThat(r.get("skipped_count").asInt()).isEqualTo(4);
        assertThat(r.get("skipped").findValuesAsText("line")).containsExactly("12", "152", "202", "303");
        assertThat(r.get("skipped").get(0).get("message").asText()).isEqualTo("email is not a valid email address");
        assertThat(r.get("skipped").get(2).get("message").asText()).isEqualTo("expected 2 columns, found 3");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(id))).isEqualTo(298);
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT, CAMPAIGN_RECIPIENT.CAMPAIGN_ID.eq(refused))).isZero();
    }

    @Test
    void an_encoding_named_wrongly_or_options_that_mean_nothing_are_a_named_400_and_write_nothing() {
        long id = createCampaign(createSender("main"));
        byte[] cp1251 = "email,name\nanna@example.com,Анна\n".getBytes(CP1251);
        Api.Res notUtf8 = upload(id, "?charset=utf-8", cp1251);
        assertThat(notUtf8.status()).isEqualTo(400);
        assertThat(notUtf8.text()).contains("is not valid utf-8 text").contains("charset=windows-1251");
        assertThat(upload(id, "?delimiter=pipe", cp1251).get("errors").get(0).get("field").asText()).isEqualTo("delimiter");
        assertThat(upload(id, "?charset=latin-9", cp1251).get("errors").get(0).get("field").asText()).isEqualTo("charset");
        assertThat(upload(id, "?invalid=maybe", cp1251).get("errors").get(0).get("field").asText()).isEqualTo("invalid");
        assertThat(upload(id, "?name_column=Nom", cp1251).get("errors").get(0).get("field").asText()).isEqualTo("name_column");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
    }
}
