/**
 * Alerts by e-mail through nodemailer's SMTP transport (a maintained client
 * with STARTTLS, AUTH PLAIN/LOGIN and proper timeouts; a home-made SMTP client
 * would be one more place for a password to leak in cleartext).
 */
import nodemailer from 'nodemailer';
import type { EmailAlertSettings } from '../config/types';
import type { AlertNotice } from './alert-notice';
import { AlertDeliveryError, type AlertSender } from './alert-sender';

export interface EmailSenderOptions {
  settings: EmailAlertSettings;
  /** The login itself (read from the environment variables the settings name); absent for an open relay. */
  auth?: { user: string; password: string };
  /** Connect, greeting and idle-socket timeout (default 15 s). */
  timeoutMs?: number;
}

/** A sender for one SMTP server and one list of recipients. */
export function createEmailSender(options: EmailSenderOptions): AlertSender {
  const { settings, auth } = options;
  const timeout = options.timeoutMs ?? 15_000;
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    // A password must never cross the network in cleartext: without TLS from the
    // first byte, insist on STARTTLS, except for a relay on this machine.
    requireTLS: !settings.secure && !isLoopback(settings.host),
    ...(auth ? { auth: { user: auth.user, pass: auth.password } } : {}),
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
    debug: false,
  });
  const where = `${settings.host}:${settings.port}`;
  return {
    name: 'email',
    secrets: auth ? [auth.password] : [],
    async send(notice: AlertNotice, signal: AbortSignal): Promise<void> {
      if (signal.aborted) throw new AlertDeliveryError('stopped before sending', { permanent: true });
      try {
        await abortable(transport.sendMail({ from: settings.from, to: settings.to, subject: notice.subject, text: notice.text }), signal);
      } catch (error) {
        throw classify(error, where, settings);
      }
    },
    close() {
      transport.close();
    },
  };
}

/** By nodemailer's error code and the SMTP reply code, never by message text. */
function classify(error: unknown, where: string, settings: EmailAlertSettings): AlertDeliveryError {
  if (error instanceof AlertDeliveryError) return error;
  const { code, responseCode, message } = (error ?? {}) as { code?: unknown; responseCode?: unknown; message?: unknown };
  const reply = typeof responseCode === 'number' ? responseCode : undefined;
  const said = typeof message === 'string' ? message : String(error);
  if (code === 'EAUTH') {
    const names = settings.credentials ? `${settings.credentials.user} and ${settings.credentials.password}` : 'settings.alerts.email.credentials';
    return new AlertDeliveryError(`the SMTP server ${where} refused the login (${said}): check ${names} in .env and restart`, { permanent: reply === undefined || reply >= 500 });
  }
  if (code === 'ETLS' || (code === 'ESOCKET' && /TLS|certificate|SSL/i.test(String((error as { reason?: unknown }).reason ?? '')))) {
    return new AlertDeliveryError(`no TLS with the SMTP server ${where} (${said}): check settings.alerts.email.port and secure (465: secure true; 587: STARTTLS)`, { permanent: false });
  }
  if (reply !== undefined && reply >= 500) {
    return new AlertDeliveryError(`the SMTP server ${where} rejected the alert (${said}): check settings.alerts.email.from and to`, { permanent: true });
  }
  const system = typeof code === 'string' ? code : 'error';
  return new AlertDeliveryError(`could not send through the SMTP server ${where} (${system}: ${said})`, { permanent: false });
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new AlertDeliveryError('stopped while sending', { permanent: true }));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        // nodemailer's error as it is: classify() reads its code and responseCode.
        reject(error);
      },
    );
  });
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
