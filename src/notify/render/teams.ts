/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"), the
 * successor of the retired Office 365 connectors: a `message` carrying one Adaptive Card.
 * Messages stay under Teams' 28 KB; mentions use `<at>` with `msteams.entities` (Teams ids or
 * UPNs). Microsoft documents four requests a second for webhooks; we send at most two.
 */
import type { ChannelDefinition } from '../channel.ts';
import type { ChannelConfig } from '../config-schema.ts';
import { bytes, fit, omittedNote } from './fit.ts';
import { mentionsFor } from './mention.ts';
import { describe, type Message, type Tone } from './model.ts';

const MAX_BYTES = 27_000;
const COLOR: Record<Tone, string> = { bad: 'Attention', warn: 'Warning', good: 'Good', info: 'Default' };

type Element = Record<string, unknown>;

/** The Teams channel. */
export const teams: ChannelDefinition = {
  name: 'teams',
  create(config: ChannelConfig) {
    return {
      name: 'teams',
      limits: { perSecond: 2, maxBytes: MAX_BYTES },
      render(event) {
        const users = mentionsFor(event, config).users;
        const build = (m: Message): string => JSON.stringify(message(card(m, users)));
        return { url: config.url, headers: { 'content-type': 'application/json; charset=utf-8' }, body: fit(describe(event), build, (b) => bytes(b) <= MAX_BYTES) };
      },
    };
  },
};

function message(content: Record<string, unknown>): Record<string, unknown> {
  return { type: 'message', attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }] };
}

function card(m: Message, users: readonly string[]): Record<string, unknown> {
  const body: Element[] = [{ type: 'TextBlock', text: m.title, weight: 'Bolder', size: 'Medium', color: COLOR[m.tone], wrap: true }];
  if (m.facts.length > 0) body.push({ type: 'FactSet', facts: m.facts.map(([title, value]) => ({ title, value })) });
  if (m.text !== '') body.push(text(m.text));
  if (m.items.length > 0 || m.omitted > 0) {
    body.push({ ...text(m.itemsLabel), weight: 'Bolder' });
    for (const item of m.items) body.push({ ...text(`• ${item}`), spacing: 'None' });
    if (m.omitted > 0) body.push({ ...text(omittedNote(m)), isSubtle: true });
  }
  body.push({ ...text(m.footer), isSubtle: true, size: 'Small' });
  const msteams: Record<string, unknown> = { width: 'Full' };
  if (users.length > 0) {
    body.push(text(users.map((u) => `<at>${u}</at>`).join(' ')));
    msteams.entities = users.map((u) => ({ type: 'mention', text: `<at>${u}</at>`, mentioned: { id: u, name: u } }));
  }
  return { $schema: 'http://adaptivecards.io/schemas/adaptive-card.json', type: 'AdaptiveCard', version: '1.4', body, msteams };
}

function text(value: string): Element {
  return { type: 'TextBlock', text: value, wrap: true };
}
