/**
 * Send-phone-message: deliver MFA codes through Twilio, by SMS or voice.
 */
const twilio = require('twilio');

exports.onExecuteSendPhoneMessage = async (event) => {
  const client = twilio(event.secrets.TWILIO_ACCOUNT_SID, event.secrets.TWILIO_AUTH_TOKEN);
  const { recipient, text, message_type } = event.message_options;

  if (message_type === 'voice') {
    await client.calls.create({
      twiml: `<Response><Say>${text}</Say></Response>`,
      to: recipient,
      from: event.secrets.TWILIO_FROM,
    });
    return;
  }

  await client.messages.create({ body: text, to: recipient, from: event.secrets.TWILIO_FROM });
};
