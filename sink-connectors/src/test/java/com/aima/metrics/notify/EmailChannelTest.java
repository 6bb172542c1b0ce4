package com.aima.metrics.notify;

import static com.aima.metrics.notify.Alerts.gpuHot;
import static com.aima.metrics.notify.Alerts.gpuHotResolved;
import static com.aima.metrics.notify.Alerts.memoryHigh;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.junit5.GreenMailExtension;
import com.icegreen.greenmail.util.ServerSetupTest;
import jakarta.mail.Address;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Against GreenMail, a real SMTP server in the test JVM. GreenMail 2.1 offers no STARTTLS. */
class EmailChannelTest {

    @RegisterExtension
    static final GreenMailExtension greenMail = new GreenMailExtension(ServerSetupTest.SMTP.dynamicPort())
            .withConfiguration(GreenMailConfiguration.aConfig().withUser("alerts@example.com", "alerts", "right"));

    @Test
    void sendsOneMessageWithTextAndHtmlToEveryRecipient() throws Exception {
        email(Map.of(ChannelConfig.EMAIL_SMTP_USERNAME_CONFIG, "alerts",
                ChannelConfig.EMAIL_SMTP_PASSWORD_CONFIG, "right"))
                .deliver(List.of(gpuHotResolved(), gpuHot(), memoryHigh()));

        assertThat(greenMail.waitForIncomingEmail(5_000, 2)).isTrue();
        MimeMessage[] received = greenMail.getReceivedMessages();
        assertThat(received).hasSize(2);
        MimeMessage message = received[0];
        assertThat(message.getSubject())
                .isEqualTo("[FIRING:2, RESOLVED:1] gpu_temperature_high, gpu_memory_high");
        assertThat(message.getFrom()).extracting(Address::toString).containsExactly("AIMA Alerts <alerts@example.com>");
        assertThat(message.getAllRecipients()).extracting(Address::toString)
                .containsExactly("ops@example.com", "oncall@example.org");
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getContentType()).startsWith("multipart/alternative");
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("text/plain");
        // MIME text travels with CRLF line ends.
        assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).contains("""

                FIRING CRITICAL gpu_temperature_high
                  GPU 0 on n1 is at 91.5 C
                  Check the fans of n1.
                  value 91.5, threshold > 85
                  since 2026-11-22 10:02:00 UTC
                  labels: gpu=0, node=n1
                  metric: gpu_temperature_celsius, fingerprint: f1a2
                """).contains("RESOLVED CRITICAL gpu_temperature_high");
        assertThat(parts.getBodyPart(1).getContentType()).startsWith("text/html");
        assertThat((String) parts.getBodyPart(1).getContent())
                .contains("<td>value 91.5, threshold &gt; 85</td>");
    }

    @Test
    void requiredStartTlsRefusesAServerWithoutItForGood() {
        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> email(Map.of(ChannelConfig.EMAIL_SMTP_STARTTLS_CONFIG, "required")).deliver(List.of(gpuHot())));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).startsWith("email: sending through 127.0.0.1:").contains("STARTTLS");
        assertThat(greenMail.getReceivedMessages()).isEmpty();
    }

    @Test
    void optionalStartTlsSendsInPlainTextWhenTheServerHasNone() throws Exception {
        email(Map.of(ChannelConfig.EMAIL_SMTP_STARTTLS_CONFIG, "optional")).deliver(List.of(gpuHot()));

        assertThat(greenMail.waitForIncomingEmail(5_000, 2)).isTrue();
    }

    @Test
    void wrongPasswordIsNotRetryable() {
        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> email(Map.of(ChannelConfig.EMAIL_SMTP_USERNAME_CONFIG, "alerts",
                        ChannelConfig.EMAIL_SMTP_PASSWORD_CONFIG, "wrong")).deliver(List.of(gpuHot())));

        assertThat(failure.retryable()).isFalse();
        assertThat(failure.getMessage()).doesNotContain("wrong");
    }

    @Test
    void refusedConnectionIsRetryable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }

        DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                () -> email(Map.of(ChannelConfig.EMAIL_SMTP_PORT_CONFIG, Integer.toString(closedPort)))
                        .deliver(List.of(gpuHot())));

        assertThat(failure.retryable()).isTrue();
    }

    @ParameterizedTest(name = "RCPT answered {0} -> retryable {1}")
    @CsvSource({"450 4.2.1 Mailbox busy, true", "452 4.3.1 Insufficient storage, true",
            "550 5.1.1 No such user, false", "553 5.1.3 Bad address, false"})
    void recipientReplyDecidesWhetherToRetry(String reply, boolean retryable) throws IOException {
        try (ScriptedSmtpServer server = new ScriptedSmtpServer(reply)) {
            DeliveryException failure = catchThrowableOfType(DeliveryException.class,
                    () -> email(Map.of(ChannelConfig.EMAIL_SMTP_PORT_CONFIG, Integer.toString(server.port()),
                            ChannelConfig.EMAIL_TO_CONFIG, "ops@example.com")).deliver(List.of(gpuHot())));

            assertThat(failure.retryable()).isEqualTo(retryable);
            assertThat(failure.getMessage()).contains("with SMTP " + reply.substring(0, 3));
        }
    }

    private static Channel email(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of(
                ChannelConfig.EMAIL_SMTP_HOST_CONFIG, "127.0.0.1",
                ChannelConfig.EMAIL_SMTP_PORT_CONFIG, Integer.toString(greenMail.getSmtp().getPort()),
                ChannelConfig.EMAIL_SMTP_STARTTLS_CONFIG, "none",
                ChannelConfig.EMAIL_SMTP_TIMEOUT_MS_CONFIG, "5000",
                ChannelConfig.EMAIL_FROM_CONFIG, "AIMA Alerts <alerts@example.com>",
                ChannelConfig.EMAIL_TO_CONFIG, "ops@example.com, oncall@example.org"));
        all.putAll(settings);
        return Channels.create(all).get("email");
    }
}
