/** How eventlog names itself to receivers: `User-Agent` and the Slack footer (authentik: `authentik@<version>`). */
export const SENDER_USER_AGENT = 'eventlog';
export const SLACK_FOOTER = 'eventlog';
