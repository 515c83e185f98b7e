/** An error page with a status: `messageKey` names the words shown (web/i18n.ts). */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly messageKey: string,
  ) {
    super(messageKey);
    this.name = 'HttpError';
  }
}
