package dev.mailroom.web;

import static dev.mailroom.db.generated.Tables.CAMPAIGN;
import static dev.mailroom.db.generated.Tables.CAMPAIGN_RECIPIENT;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvUploadTest extends WebTestBase {

    private Api.Res upload(long campaignId, String csv) {
        return Api.post("/api/campaigns/" + campaignId + "/recipients", operator, "text/csv; charset=utf-8",
                HttpRequest.BodyPublishers.ofString(csv));
    }

    @Test
    void loads_quoted_fields_and_turns_extra_columns_into_vars() {
        long id = createCampaign(createSender("main"));
        String csv = "email,name,plan,city\r\n"
                + "ann@example.com,\"Smith, Ann\",pro,\"New \"\"York\"\"\"\r\n"
                + "\r\n"
                + "BOB@example.com,,basic,\"multi\nline\"\n";
        Api.Res r = upload(id, csv);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("added").asInt()).isEqualTo(2);
        var ann = dsl().selectFrom(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.EMAIL.eq("ann@example.com")).fetchOne();
        assertThat(ann.getName()).isEqualTo("Smith, Ann");
        assertThat(ann.getVars()).isEqualTo("{\"plan\":\"pro\",\"city\":\"New \\\"York\\\"\"}");
        var bob = dsl().selectFrom(CAMPAIGN_RECIPIENT).where(CAMPAIGN_RECIPIENT.EMAIL.eq("bob@example.com")).fetchOne();
        assertThat(bob.getName()).isNull();
        assertThat(bob.getVars()).isEqualTo("{\"plan\":\"basic\",\"city\":\"multi\\nline\"}");
        assertThat(bob.getId()).isGreaterThan(ann.getId());
    }

    @Test
    void rejects_an_upload_with_one_bad_row_among_many_and_writes_nothing() {
        long id = createCampaign(createSender("main"));
        StringBuilder csv = new StringBuilder("email,name\n");
        for (int i = 0; i < 5000; i++) csv.append(i == 3210 ? "broken-address" : "u" + i + "@example.com").append(",N\n");
        Api.Res r = upload(id, csv.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").size()).isEqualTo(1);
        assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo("recipients[line 3212].email");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
        assertThat(dsl().select(CAMPAIGN.TOTAL).from(CAMPAIGN).fetchOne().value1()).isZero();
    }

    @Test
    void reports_at_most_100_bad_rows() {
        long id = createCampaign(createSender("main"));
        StringBuilder csv = new StringBuilder("email\n");
        for (int i = 0; i < 500; i++) csv.append("bad").append(i).append('\n');
        Api.Res r = upload(id, csv.toString());
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").size()).isEqualTo(100);
    }

    @Test
    void rejects_malformed_csv_and_a_header_without_email() {
        long id = createCampaign(createSender("main"));
        assertThat(upload(id, "email,name\n\"a@example.com,Ann\n").status()).isEqualTo(400);
        assertThat(upload(id, "email,name\na@example.com,\"Ann\"x\n").status()).isEqualTo(400);
        assertThat(upload(id, "email,name\na@example.com\n").status()).isEqualTo(400);
        Api.Res r = upload(id, "mail,name\na@example.com,Ann\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo("csv.header");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
    }

    @Test
    void rejects_crlf_in_a_recipient_name() {
        long id = createCampaign(createSender("main"));
        Api.Res r = upload(id, "email,name\na@example.com,\"Ann\r\nBcc: x@example.com\"\n");
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.get("errors").get(0).get("field").asText()).isEqualTo("recipients[line 2].name");
        assertThat(dsl().fetchCount(CAMPAIGN_RECIPIENT)).isZero();
    }

    @Test
    void refuses_recipients_for_a_finished_campaign_with_409() {
        long id = createCampaign(createSender("main"));
        assertThat(Api.post("/api/campaigns/" + id + "/cancel", operator, "").status()).isEqualTo(200);
        Api.Res r = upload(id, "email\na@example.com\n");
        assertThat(r.status()).isEqualTo(409);
        assertThat(r.get("current_status").asText()).isEqualTo("cancelled");
    }

    @Test
    void streams_a_large_upload_beyond_the_json_body_limit() {
        long id = createCampaign(createSender("main"));
        int rows = Integer.getInteger("mailroom.csvRows", 200_000);
        StringBuilder csv = new StringBuilder(rows * 48).append("email,name,plan\n");
        for (int i = 0; i < rows; i++) csv.append("user").append(i).append("@example.com,User ").append(i).append(",p").append(i % 7).append('\n');
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        Api.Res r = Api.post("/api/campaigns/" + id + "/recipients", operator, "text/csv",
                HttpRequest.BodyPublishers.ofByteArray(body));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.get("added").asInt()).isEqualTo(rows);
        assertThat(dsl().select(CAMPAIGN.TOTAL, CAMPAIGN.PENDING).from(CAMPAIGN).fetchOne().intoArray())
                .containsExactly(rows, rows);
        System.out.println("csv upload of " + rows + " rows took " + ms + " ms");
    }
}
