import { describe, expect, it } from 'vitest';
import { foresees, reachOf, UNKNOWN_COUNTRY, unknownReach } from '../../../src/limits/code-reach';
import { destinationKey } from '../../../src/limits/destination';
import {
  accountKey,
  DestinationLinks,
  LINKED_MAX,
  type LinkStore,
} from '../../../src/limits/destination-links';
import { memoryLimiterStore } from '../../../src/limits/limiter-store';

const YEAR = 365 * 86_400;
const email = (address: string) => destinationKey(address) ?? '';

/** The store's own memory links, with the TTL of every add recorded. */
function recordingStore(): LinkStore & { ttls: number[] } {
  const inner = memoryLimiterStore().links;
  const ttls: number[] = [];
  return {
    ttls,
    members: (key) => inner.members(key),
    add: (key, members, ttl) => {
      ttls.push(ttl);
      return inner.add(key, members, ttl);
    },
  };
}

function links(caseSensitive = false) {
  const store = recordingStore();
  return {
    store,
    links: new DestinationLinks(store, { usernameCaseSensitive: caseSensitive, retentionSeconds: YEAR }),
  };
}

describe('DestinationLinks', () => {
  it('links the username, the sub and the sign-in attributes to one account and its destinations, for the retention', async () => {
    const { links: l, store } = links();
    await l.remember({
      identifiers: ['Jane', 'jane@example.com'],
      sub: 'b3e1c2d4-0000-4000-8000-000000000001',
      destinations: [email('jane@example.com')],
      phoneNumbers: ['+447400123456'],
    });
    for (const identifier of ['jane', 'JANE@example.com', 'b3e1c2d4-0000-4000-8000-000000000001']) {
      const recalled = await l.recall(identifier);
      expect(recalled).toMatchObject({
        linked: {
          account: accountKey('b3e1c2d4-0000-4000-8000-000000000001'),
          destinations: [email('jane@example.com')],
          phones: [{ country: 'GB', type: 'MOBILE' }],
          unforeseen: [],
        },
      });
    }
    expect(new Set(store.ttls)).toEqual(new Set([YEAR]));
    expect(await l.recall('someone-else')).toEqual({ unlinked: true });
  });

  it('never keeps an address or a number, only hashes and a phone country and type', async () => {
    const { links: l, store } = links();
    await l.remember({
      identifiers: ['jane@example.com'],
      sub: 'sub-1',
      destinations: [email('jane@example.com')],
      phoneNumbers: ['+447400123456'],
    });
    const recalled = await l.recall('jane@example.com');
    const members = 'linked' in recalled ? recalled.linked.members : [];
    expect(members.join(' ')).not.toMatch(/jane|example|7400123456|sub-1/);
    expect(store.ttls.length).toBeGreaterThan(0);
  });

  it("leaves an identifier to the first account linked to it: another account's sign-up neither fills nor spends it", async () => {
    const { links: l } = links();
    await l.remember({
      identifiers: ['alice'],
      sub: 'sub-alice',
      destinations: [email('alice@example.com')],
      phoneNumbers: [],
    });
    let taken = 0;
    for (let i = 0; i < LINKED_MAX + 4; i++) {
      const result = await l.remember({
        identifiers: ['Alice'],
        sub: `sub-mallory-${i}`,
        destinations: [email(`m${i}@evil.test`)],
        phoneNumbers: [],
      });
      taken += result.taken;
    }
    expect(taken).toBe(LINKED_MAX + 4);
    expect(await l.recall('alice')).toMatchObject({
      linked: { account: accountKey('sub-alice'), destinations: [email('alice@example.com')] },
    });
  });

  it('restarts the retention at each code sent, and remembers a medium that went unforeseen', async () => {
    const { links: l, store } = links();
    await l.remember({
      identifiers: ['jane'],
      sub: 'sub-j',
      destinations: [email('jane@example.com')],
      phoneNumbers: [],
    });
    const before = store.ttls.length;
    const recalled = await l.recall('jane');
    if (!('linked' in recalled)) throw new Error('expected a link');
    await l.codeSent('jane', recalled.linked, 'SMS');
    expect(store.ttls.length).toBe(before + 1);
    expect(await l.recall('jane')).toMatchObject({ linked: { unforeseen: ['SMS'] } });
  });

  it('refuses a link past LINKED_MAX members (defence in depth: no real user has that many)', async () => {
    const { links: l } = links();
    const many = Array.from({ length: LINKED_MAX + 1 }, (_, i) => email(`u${i}@example.com`));
    await l.remember({ identifiers: ['crowded'], destinations: many, phoneNumbers: [] });
    expect(await l.recall('crowded')).toEqual({ overfilled: true });
  });
});

describe('reachOf', () => {
  it('reserves only the media of the known destinations, and the countries of the numbers', () => {
    const phone = destinationKey('+447400123456') ?? '';
    expect(reachOf([email('jane@example.com')])).toEqual({
      destinations: [email('jane@example.com')],
      sms: false,
      email: true,
      smsCountries: [],
    });
    expect(reachOf([phone])).toMatchObject({ sms: true, email: false, smsCountries: ['GB'] });
  });

  it('reserves both media, SMS of unknown country, where nothing is known or a medium went unforeseen', () => {
    expect(reachOf([])).toMatchObject({ sms: true, email: true, smsCountries: [UNKNOWN_COUNTRY] });
    expect(reachOf([email('jane@example.com')], ['SMS'])).toMatchObject({
      sms: true,
      email: true,
      smsCountries: [UNKNOWN_COUNTRY],
    });
    expect(unknownReach('any')).toMatchObject({ destinations: [], sms: true, email: true, unknown: 'any' });
    expect(foresees(reachOf([email('jane@example.com')]), 'SMS')).toBe(false);
  });
});
