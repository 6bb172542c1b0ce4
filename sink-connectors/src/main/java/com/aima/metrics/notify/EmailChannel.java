package com.aima.metrics.notify;

import com.aima.metrics.schema.AlertEvent;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.List;
import java.util.Properties;
import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.angus.mail.smtp.SMTPSenderFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a group of alerts as one e-mail (plain text with an HTML alternative, see {@link EmailContent}) to all
 * configured addresses through an SMTP server, one connection per message.
 *
 * <p>STARTTLS: {@link StartTls#NONE} never upgrades, {@link StartTls#OPTIONAL} upgrades when the server offers it,
 * {@link StartTls#REQUIRED} refuses to send over a server that does not offer it. The server's certificate must be
 * trusted by the JVM and match the host name.
 *
 * <p>Failures: an SMTP 4xx reply, a refused or broken connection and a time-out are retryable; a 5xx reply (for
 * example an unknown recipient or a rejected sender), failed authentication and a server without the required
 * STARTTLS are not.
 */
final class EmailChannel implements Channel {

    static final String NAME = "email";

    /** Whether the connection is upgraded to TLS with STARTTLS. */
    enum StartTls { NONE, OPTIONAL, REQUIRED }

    private static final Logger log = LoggerFactory.getLogger(EmailChannel.class);

    private final Session session;
    private final String server;
    private final String username;
    private final String password;
    private final InternetAddress from;
    private final List<InternetAddress> to;

    /**
     * @param timeout  for connecting, reading and writing, each
     * @param username null to send without authentication
     */
    EmailChannel(String host, int port, StartTls startTls, Duration timeout, String username, String password,
                 InternetAddress from, List<InternetAddress> to) {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", host);
        properties.put("mail.smtp.port", Integer.toString(port));
        properties.put("mail.smtp.connectiontimeout", Long.toString(timeout.toMillis()));
        properties.put("mail.smtp.timeout", Long.toString(timeout.toMillis()));
        properties.put("mail.smtp.writetimeout", Long.toString(timeout.toMillis()));
        properties.put("mail.smtp.auth", Boolean.toString(username != null));
        properties.put("mail.smtp.starttls.enable", Boolean.toString(startTls != StartTls.NONE));
        properties.put("mail.smtp.starttls.required", Boolean.toString(startTls == StartTls.REQUIRED));
        // Angus Mail does not check that the certificate belongs to the host unless told to.
        properties.put("mail.smtp.ssl.checkserveridentity", "true");
        properties.put("mail.smtp.from", from.getAddress());
        this.session = Session.getInstance(properties);
        this.server = host + ":" + port;
        this.username = username;
        this.password = password;
        this.from = from;
        this.to = List.copyOf(to);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void deliver(List<AlertEvent> alerts) throws DeliveryException {
        EmailContent content = new EmailContent(AlertGroup.of(alerts));
        MimeMessage message;
        try {
            message = message(content);
        } catch (MessagingException e) {
            throw new DeliveryException(NAME + ": the message could not be composed: " + e.getMessage(), false, e);
        }
        Transport transport = null;
        try {
            transport = session.getTransport("smtp");
            transport.connect(username, password);
            transport.sendMessage(message, message.getAllRecipients());
        } catch (MessagingException e) {
            throw failure(e);
        } finally {
            close(transport);
        }
    }

    private MimeMessage message(EmailContent content) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(from);
        message.setRecipients(Message.RecipientType.TO, to.toArray(InternetAddress[]::new));
        message.setSubject(content.subject(), StandardCharsets.UTF_8.name());
        message.setSentDate(new Date());
        MimeBodyPart text = new MimeBodyPart();
        text.setText(content.text(), StandardCharsets.UTF_8.name());
        MimeBodyPart html = new MimeBodyPart();
        html.setText(content.html(), StandardCharsets.UTF_8.name(), "html");
        // Clients show the last part they can render, so the HTML goes last.
        message.setContent(new MimeMultipart("alternative", text, html));
        return message;
    }

    private DeliveryException failure(MessagingException e) {
        Throwable reply = smtpReply(e);
        int code = reply == null ? 0 : replyCode(reply);
        boolean retryable;
        if (code >= 500) {
            retryable = false;
        } else if (code >= 400) {
            retryable = true;
        } else {
            retryable = !(e instanceof AuthenticationFailedException) && hasIoCause(e);
        }
        String message = NAME + ": sending through " + server + " failed";
        if (reply != null) {
            message += " with SMTP " + code;
        }
        message += ": " + e.getMessage();
        if (reply != null && reply != e && reply.getMessage() != null) {
            message += " (" + reply.getMessage().strip() + ")";
        }
        return new DeliveryException(message, retryable, e);
    }

    /**
     * The failure's SMTP reply with the highest code among the nested exceptions, so that one permanently rejected
     * recipient among temporarily failed ones makes the failure permanent; null when the server gave none.
     */
    private static Throwable smtpReply(Throwable failure) {
        Throwable reply = null;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (replyCode(cause) != 0 && (reply == null || replyCode(cause) > replyCode(reply))) {
                reply = cause;
            }
        }
        return reply;
    }

    private static int replyCode(Throwable failure) {
        int code = 0;
        if (failure instanceof SMTPSendFailedException sendFailed) {
            code = sendFailed.getReturnCode();
        } else if (failure instanceof SMTPAddressFailedException addressFailed) {
            code = addressFailed.getReturnCode();
        } else if (failure instanceof SMTPSenderFailedException senderFailed) {
            code = senderFailed.getReturnCode();
        }
        // -1: the server closed the connection without a reply, as good as 421 (service not available).
        return code < 0 ? 421 : code;
    }

    private static boolean hasIoCause(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** The message was sent or the failure reported; a failing QUIT changes neither. */
    private static void close(Transport transport) {
        if (transport == null) {
            return;
        }
        try {
            transport.close();
        } catch (MessagingException e) {
            log.debug("Closing the SMTP connection failed after the message was handled.", e);
        }
    }
}
