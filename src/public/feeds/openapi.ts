/**
 * The OpenAPI 3.1 document of the public JSON API and feeds, served at
 * `/api/v1/openapi.json`. Its schemas are JSON Schema 2020-12 and describe the
 * bodies api-json.ts builds; the tests validate the document with an
 * independent validator and every endpoint's real responses against it.
 */

const nullable = (type: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({ type: [type, 'null'], ...extra });
const ref = (name: string): { $ref: string } => ({ $ref: `#/components/schemas/${name}` });
const instant = { type: 'string', format: 'date-time', description: 'ISO 8601 instant in UTC (`2026-12-11T07:00:00.000Z`).' };
const plainDate = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'A date in the office calendar (`2026-12-14`).' };
const url = { type: 'string', format: 'uri' };

const schemas = {
  Error: {
    type: 'object',
    required: ['error', 'message'],
    properties: {
      error: { type: 'string', enum: ['not-found', 'bad-request', 'unavailable', 'internal'] },
      message: { type: 'string' },
    },
  },
  Service: {
    type: 'object',
    required: ['id', 'name', 'shortName'],
    properties: { id: { type: 'string' }, name: { type: 'string' }, shortName: { type: 'string' } },
  },
  Office: {
    type: 'object',
    required: ['id', 'name', 'shortName', 'city', 'timezone', 'zoneLabel', 'bookingChannel', 'website', 'address', 'phone', 'hashtags', 'services', 'links'],
    properties: {
      id: { type: 'string' },
      name: { type: 'string' },
      shortName: { type: 'string' },
      city: { type: 'string', description: 'Empty when the office has not written one.' },
      timezone: { type: 'string', description: 'IANA zone (`Asia/Jayapura`).' },
      zoneLabel: { type: 'string', description: '`WIB`, `WITA`, `WIT`, or the abbreviation or offset of another zone.' },
      bookingChannel: nullable('string', { description: 'Where the public books (`aplikasi M-Paspor`).' }),
      website: nullable('string'),
      address: nullable('string'),
      phone: nullable('string'),
      hashtags: { type: 'array', items: { type: 'string' } },
      services: { type: 'array', items: ref('Service') },
      links: {
        type: 'object',
        required: ['page', 'archive', 'calendar', 'atom', 'api'],
        properties: { page: url, archive: url, calendar: url, atom: url, api: url },
      },
    },
  },
  OfficeList: {
    type: 'object',
    required: ['offices'],
    properties: { offices: { type: 'array', items: ref('Office') } },
  },
  ServiceCount: {
    type: 'object',
    required: ['serviceId', 'name', 'shortName', 'count'],
    properties: {
      serviceId: { type: 'string' },
      name: { type: 'string' },
      shortName: { type: 'string' },
      count: nullable('integer', { minimum: 0, description: 'Null: no quota of this service.' }),
    },
  },
  ServiceDay: {
    type: 'object',
    required: ['date', 'label', 'counts', 'total'],
    properties: {
      date: plainDate,
      label: { type: 'string', description: '`Senin, 14 Desember 2026`.' },
      counts: { type: 'array', items: ref('ServiceCount') },
      total: { type: 'integer', minimum: 0 },
    },
  },
  Opening: {
    type: 'object',
    required: [
      'officeId', 'releaseId', 'uid', 'status', 'state', 'opensAt', 'closesAt', 'timezone', 'opensLabel', 'closesLabel', 'days', 'serviceTotals',
      'totalQuota', 'closedDays', 'cancelReason', 'note', 'fingerprint', 'sequence', 'modifiedAt',
    ],
    properties: {
      officeId: { type: 'string' },
      releaseId: { type: 'string', description: 'Stable across edits of the opening.' },
      uid: { type: 'string', description: 'The UID of its event in calendar.ics.' },
      status: { type: 'string', enum: ['open', 'cancelled'] },
      state: { type: 'string', enum: ['akan-dibuka', 'dibuka', 'ditutup', 'dibatalkan'], description: 'At the time of the request: not yet open, open, closed, cancelled.' },
      opensAt: instant,
      closesAt: { ...nullable('string'), format: 'date-time' },
      timezone: { type: 'string' },
      opensLabel: { type: 'string', description: '`Jumat, 11 Desember 2026 pukul 14.00 WIB`.' },
      closesLabel: nullable('string'),
      days: { type: 'array', items: ref('ServiceDay') },
      serviceTotals: { type: 'array', items: ref('ServiceCount') },
      totalQuota: { type: 'integer', minimum: 0 },
      closedDays: {
        type: 'array',
        items: { type: 'object', required: ['date', 'label', 'reason'], properties: { date: plainDate, label: { type: 'string' }, reason: { type: 'string' } } },
      },
      cancelReason: nullable('string'),
      note: nullable('string'),
      fingerprint: { type: 'string', pattern: '^[0-9a-f]{64}$', description: 'Changes exactly when the opening changes.' },
      sequence: { type: 'integer', minimum: 0, description: 'How often the opening changed (the event SEQUENCE).' },
      modifiedAt: { ...instant, description: 'When this version of the opening was first served.' },
    },
  },
  OpeningList: {
    type: 'object',
    required: ['office', 'modifiedAt', 'openings'],
    properties: {
      office: { type: 'string' },
      modifiedAt: { ...instant, description: 'When the list last changed.' },
      openings: { type: 'array', items: ref('Opening'), description: 'Sorted by opening time: the last 30 days and all planned ones, cancelled included.' },
    },
  },
  ChannelPost: {
    type: 'object',
    required: ['channelId', 'platform', 'publishedAt', 'remoteUrl', 'text'],
    properties: {
      channelId: { type: 'string' },
      platform: { type: 'string', description: '`instagram`, `x`, …' },
      publishedAt: instant,
      remoteUrl: { ...nullable('string'), format: 'uri', description: 'The live post; null when the platform gave none.' },
      text: { type: 'string', description: 'The exact text as sent to this channel.' },
    },
  },
  Card: {
    type: 'object',
    required: ['index', 'width', 'height', 'alt', 'sha256', 'url'],
    properties: {
      index: { type: 'integer', minimum: 1 },
      width: { type: 'integer', minimum: 1 },
      height: { type: 'integer', minimum: 1 },
      alt: { type: 'string' },
      sha256: { type: 'string', pattern: '^([0-9a-f]{64})?$', description: 'Of the published image; empty for cards published before they were hashed.' },
      url: url,
    },
  },
  Change: {
    type: 'object',
    required: ['label', 'before', 'after'],
    properties: { label: { type: 'string' }, before: nullable('string'), after: nullable('string') },
  },
  Announcement: {
    type: 'object',
    required: ['officeId', 'code', 'codeLabel', 'kind', 'kindLabel', 'title', 'ruleId', 'subject', 'releaseId', 'publishedAt', 'updatedAt', 'url', 'channels', 'cards', 'changes', 'correctedBy'],
    properties: {
      officeId: { type: 'string' },
      code: { type: 'string', pattern: '^[0-9A-HJKMNP-TV-Z]{8}$', description: 'The verification code on the card (`K7M2Q9XD`).' },
      codeLabel: { type: 'string', description: '`K7M2-Q9XD`.' },
      kind: { type: 'string', enum: ['announcement', 'digest', 'correction', 'cancellation'] },
      kindLabel: { type: 'string' },
      title: { type: 'string' },
      ruleId: { type: 'string' },
      subject: { type: 'string', description: 'The release id, or `digest:FROM..TO`.' },
      releaseId: nullable('string'),
      publishedAt: { ...instant, description: 'The first channel’s publication.' },
      updatedAt: { ...instant, description: 'The last channel’s publication.' },
      url: { ...url, description: 'The archive entry.' },
      channels: { type: 'array', items: ref('ChannelPost') },
      cards: { type: 'array', items: ref('Card') },
      changes: { type: 'array', items: ref('Change'), description: 'For corrections and cancellations: what changed.' },
      correctedBy: { type: 'array', items: { type: 'string' }, description: 'Codes of later corrections and cancellations of the same opening, oldest first.' },
    },
  },
  AnnouncementList: {
    type: 'object',
    required: ['office', 'announcements', 'next'],
    properties: {
      office: { type: 'string' },
      announcements: { type: 'array', items: ref('Announcement'), description: 'Newest first.' },
      next: { ...nullable('string'), format: 'uri', description: 'The next (older) page; null on the last page.' },
    },
  },
  CodeLookup: {
    type: 'object',
    required: ['code', 'announcements'],
    properties: {
      code: { type: 'string' },
      announcements: { type: 'array', items: ref('Announcement'), minItems: 1, description: 'Usually one; a code two offices share shows both.' },
    },
  },
};

const errorResponse = (description: string): Record<string, unknown> => ({ description, content: { 'application/json': { schema: ref('Error') } } });

const cachedHeaders = {
  ETag: { description: 'Send it back in If-None-Match: 304 while nothing changed.', schema: { type: 'string' } },
  'Last-Modified': { schema: { type: 'string' } },
  'Cache-Control': { schema: { type: 'string', example: 'public, max-age=60' } },
};

const ok = (description: string, type: string, schema: Record<string, unknown>): Record<string, unknown> => ({
  '200': { description, headers: cachedHeaders, content: { [type]: { schema } } },
  '304': { description: 'Not modified since the ETag or date given.' },
});

const officeParam = { name: 'office', in: 'path', required: true, description: 'Office id (`kanim-pontianak`).', schema: { type: 'string' } };
const dateQuery = (name: string, description: string): Record<string, unknown> => ({
  name,
  in: 'query',
  required: false,
  description: `${description} An ISO 8601 instant with its offset, or a date (\`2026-12-01\`: its start in the office zone).`,
  schema: { type: 'string' },
});

export const API_VERSION = '1.0.0';

export function openApiDocument(serverUrl: string): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: {
      title: 'quota-herald public API',
      version: API_VERSION,
      description:
        'What each office announced and when its quota opens: the same facts as the public pages. No credentials; CORS open to every origin for GET. Responses carry ETag and Last-Modified and may be cached for 60 seconds.',
    },
    servers: [{ url: serverUrl }],
    paths: {
      '/api/v1/offices': {
        get: { operationId: 'listOffices', summary: 'Every office', responses: ok('The offices, sorted by id.', 'application/json', ref('OfficeList')) },
      },
      '/api/v1/offices/{office}': {
        get: {
          operationId: 'getOffice',
          summary: 'One office',
          parameters: [officeParam],
          responses: { ...ok('The office.', 'application/json', ref('Office')), '404': errorResponse('No such office.') },
        },
      },
      '/api/v1/offices/{office}/openings': {
        get: {
          operationId: 'listOpenings',
          summary: 'The office’s quota openings',
          parameters: [officeParam],
          responses: { ...ok('Openings of the last 30 days and all planned ones, cancelled included.', 'application/json', ref('OpeningList')), '404': errorResponse('No such office.') },
        },
      },
      '/api/v1/offices/{office}/announcements': {
        get: {
          operationId: 'listAnnouncements',
          summary: 'What the office announced',
          parameters: [
            officeParam,
            dateQuery('from', 'First published at or after.'),
            dateQuery('to', 'First published before.'),
            dateQuery('before', 'Paging: first published before this (the `next` link sets it).'),
            {
              name: 'beforeCode',
              in: 'query',
              required: false,
              description: 'With `before`: also those first published at `before` itself whose code sorts below this one (many announcements share a minute). The `next` link sets it.',
              schema: { type: 'string', pattern: '^[0-9A-Z]{8}$' },
            },
            { name: 'limit', in: 'query', required: false, description: 'Announcements per page (default 50).', schema: { type: 'integer', minimum: 1, maximum: 100, default: 50 } },
          ],
          responses: {
            ...ok('Published announcements, newest first.', 'application/json', ref('AnnouncementList')),
            '400': errorResponse('A parameter is not a date or a limit.'),
            '404': errorResponse('No such office.'),
          },
        },
      },
      '/api/v1/announcements/{code}': {
        get: {
          operationId: 'verifyAnnouncement',
          summary: 'Check a card’s verification code',
          description: 'The announcements whose card carries this code. A code that finds nothing is not an announcement of any office here.',
          parameters: [{ name: 'code', in: 'path', required: true, description: 'As printed (`K7M2-Q9XD`) or stored (`K7M2Q9XD`); case and dashes do not matter.', schema: { type: 'string' } }],
          responses: { ...ok('The announcements with this code.', 'application/json', ref('CodeLookup')), '404': errorResponse('No published announcement has this code.') },
        },
      },
      '/api/v1/openapi.json': {
        get: { operationId: 'openApi', summary: 'This document', responses: ok('OpenAPI 3.1.', 'application/json', { type: 'object' }) },
      },
      '/o/{office}/calendar.ics': {
        get: {
          operationId: 'calendarFeed',
          summary: 'iCalendar feed of the office’s openings (RFC 5545)',
          description: 'One event per opening, UID stable across edits, SEQUENCE raised on every change, STATUS:CANCELLED for cancelled ones; times in UTC.',
          parameters: [officeParam],
          responses: { ...ok('The calendar.', 'text/calendar', { type: 'string' }), '404': errorResponse('No such office.') },
        },
      },
      '/o/{office}/feed.atom': {
        get: {
          operationId: 'atomFeed',
          summary: 'Atom feed of the office’s announcements (RFC 4287)',
          parameters: [officeParam],
          responses: { ...ok('The latest 50 announcements.', 'application/atom+xml', { type: 'string' }), '404': errorResponse('No such office.') },
        },
      },
    },
    components: { schemas },
  };
}
