/**
 * The signatures vendors ask for, each as its documentation defines it. Pure functions of the
 * secret and the time, so tests can recompute them the way the vendor's server would.
 */
import { createHmac } from 'node:crypto';

/**
 * DingTalk custom robot, signed mode: base64(HMAC-SHA256(key = secret, msg = `${ms}\n${secret}`)).
 * The caller URL-encodes it into `&timestamp=<ms>&sign=<sig>`.
 */
export function dingtalkSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

/**
 * Feishu/Lark custom bot, signed mode: the key is `${seconds}\n${secret}` and the message is
 * empty; base64 of the HMAC-SHA256. Sent as `timestamp` and `sign` in the JSON body.
 */
export function feishuSign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

/**
 * headroom's generic webhook: hex HMAC-SHA256 with key = secret over `${seconds}.${rawBody}`, so
 * the timestamp header is covered too and an old delivery cannot be replayed with a new time.
 */
export function webhookSignature(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestampSeconds}.${rawBody}`, 'utf8').digest('hex');
}
