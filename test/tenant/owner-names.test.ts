// Owner names through the CLI's reader (a tenant file): every rule of the grammar refuses its
// attack with the rule named and a fix, good user, group and e-mail names pass, and the owner list
// is capped and free of duplicates.
import { describe, expect, it } from 'vitest';
import { MAX_OWNER_NAME_LENGTH, MAX_OWNERS, parseTenantYaml } from '../../src/tenant/index.ts';
import { expectIssue, inputIssues, tenantText, validDocument } from './support.ts';

const FILE = 'tenants/acme.yaml';
const withOwners = (owners: unknown[]) => parseTenantYaml(tenantText(validDocument('acme', { owners })), FILE);
const refusal = (name: string, kind = 'User') => inputIssues(() => withOwners([{ kind, name }]));

describe('owner names', () => {
  it.each([
    ['alice', 'User'],
    ['alice.smith', 'User'],
    ['alice_smith', 'User'],
    ['alice@example.com', 'User'],
    ['alice+ci@mail.example.co.uk', 'User'],
    ['oidc:alice@example.com', 'User'],
    ['u1001', 'User'],
    ['1password-admins', 'Group'],
    ['platform-team', 'Group'],
    ['acme:admins', 'Group'],
    ['acme-org:platform-team', 'Group'],
    ['acme/platform/admins', 'Group'],
    ['platform-team@example.com', 'Group'],
    ['a'.repeat(MAX_OWNER_NAME_LENGTH), 'Group'],
  ])('GIVEN the owner name %j (%s) WHEN the file is read THEN it is accepted unchanged', (name, kind) => {
    const { tenant } = withOwners([{ kind, name }]);
    expect(tenant.owners).toEqual([{ kind, name }]);
  });

  const refused: [string, string, RegExp, RegExp][] = [
    // [what, name, message, fix]
    ['empty', '', /owner name is empty/, /name a user or group/],
    ['too long', 'a'.repeat(MAX_OWNER_NAME_LENGTH + 1), /254 characters; an owner name has at most 253/, /shorten/],
    ['NUL', 'alice\u0000', /"alice\\u\{0\}" contains the control character U\+0000/, /printable ASCII/],
    ['a line break', 'alice\nbob', /control character U\+000A/, /printable ASCII/],
    ['DEL', 'alice\u007f', /control character U\+007F/, /printable ASCII/],
    ['NEL (U+0085)', 'platform\u0085team', /control character U\+0085/, /printable ASCII/],
    ['a C1 control', 'alice\u009b', /control character U\+009B/, /printable ASCII/],
    ['right-to-left override', 'alice\u202Eeci', /bidirectional control U\+202E/, /plain ASCII/],
    ['left-to-right isolate', '\u2066alice', /bidirectional control U\+2066/, /plain ASCII/],
    ['left-to-right mark', 'alice\u200E', /bidirectional control U\+200E/, /plain ASCII/],
    ['Arabic letter mark', 'alice\u061C', /bidirectional control U\+061C/, /plain ASCII/],
    ['zero-width space', 'ali\u200Bce', /invisible character U\+200B/, /plain ASCII/],
    ['zero-width joiner', 'ali\u200Dce', /invisible character U\+200D/, /plain ASCII/],
    ['word joiner', 'ali\u2060ce', /invisible character U\+2060/, /plain ASCII/],
    ['byte order mark', '\uFEFFalice', /invisible character U\+FEFF/, /plain ASCII/],
    ['a trailing space', 'alice ', /whitespace " " \(U\+0020\)/, /remove the spaces/],
    ['a no-break space', 'alice\u00A0smith', /whitespace U\+00A0/, /remove the spaces/],
    ['an ideographic space', 'alice\u3000', /whitespace U\+3000/, /remove the spaces/],
    ['a decomposed é (not NFC)', 'jose\u0301', /not in Unicode normalization form NFC/, /plain ASCII/],
    ['a Cyrillic а', 'pl\u0430tform-team', /non-ASCII character U\+0430/, /plain ASCII/],
    ['system:authenticated', 'system:authenticated', /Kubernetes system identity/, /user or group of this tenant/],
    ['system:masters', 'system:masters', /Kubernetes system identity/, /user or group of this tenant/],
    [
      'another tenant’s ServiceAccount',
      'system:serviceaccount:tenant-globex:default',
      /Kubernetes system identity/,
      /user or group of this tenant/,
    ],
    ['System: in capitals', 'SYSTEM:Masters', /Kubernetes system identity/, /user or group of this tenant/],
    ['a table pipe', 'platform-team|admins', /contains "\|" \(U\+007C\)/, /ASCII letters, digits/],
    ['a backtick', 'alice`', /contains "`"/, /ASCII letters, digits/],
    ['angle brackets', '<b>alice</b>', /contains "<"/, /ASCII letters, digits/],
    ['an asterisk', '*alice*', /contains "\*"/, /ASCII letters, digits/],
    ['brackets', '[alice](https://evil.example)', /contains "\["/, /ASCII letters, digits/],
    ['a hash', 'alice#1', /contains "#"/, /ASCII letters, digits/],
    ['a leading dash', '-alice', /not a user name, group name or e-mail address/, /write it like/],
    ['a trailing dot', 'alice.', /not a user name, group name or e-mail address/, /write it like/],
    ['emphasis underscores', 'a._b_.c', /not a user name, group name or e-mail address/, /write it like/],
    ['an empty prefix part', 'oidc::alice', /not a user name, group name or e-mail address/, /write it like/],
    ['an e-mail without a domain', 'alice@localhost', /not a user name, group name or e-mail address/, /write it/],
    ['a number kustomize reads as 10', '1_0', /reads as a number or a date/, /prefix/],
    ['a binary number', '0b101', /reads as a number or a date/, /prefix/],
    ['a date', '2001-12-14', /reads as a number or a date/, /prefix/],
  ];
  it.each(refused)('GIVEN an owner name with %s WHEN the file is read THEN it is refused naming the rule', (...t) => {
    const [, name, message, fix] = t;
    for (const kind of ['User', 'Group']) {
      const issue = expectIssue(refusal(name, kind), { file: FILE, path: 'spec.owners[0].name', message, fix });
      // The message never carries the character it complains about.
      expect(issue.message).toMatch(/^[\x20-\x7e]*$/);
    }
  });

  it('GIVEN the Markdown injection owner name WHEN the file is read THEN it is refused at its first line break', () => {
    const name = 'platform-team |\n\n### Network allowances\nNone: …\n\n~~~~ ';
    expectIssue(refusal(name, 'Group'), {
      file: FILE,
      path: 'spec.owners[0].name',
      message: /control character U\+000A/,
      fix: /printable ASCII/,
    });
  });

  it(`GIVEN ${MAX_OWNERS} owners THEN they are accepted, and one more is refused naming the limit`, () => {
    const owners = Array.from({ length: MAX_OWNERS + 1 }, (_, i) => ({ kind: 'User', name: `user${i}` }));
    expect(withOwners(owners.slice(0, MAX_OWNERS)).tenant.owners).toHaveLength(MAX_OWNERS);
    expectIssue(
      inputIssues(() => withOwners(owners)),
      { file: FILE, path: 'spec.owners', message: new RegExp(`at most ${MAX_OWNERS} owners`), fix: /bind a group/ },
    );
  });

  it('GIVEN the same kind and name twice THEN the second is refused; the same name as User and Group is allowed', () => {
    const issues = inputIssues(() =>
      withOwners([
        { kind: 'Group', name: 'acme-admins' },
        { kind: 'User', name: 'acme-admins' },
        { kind: 'Group', name: 'acme-admins' },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual(['spec.owners[2]']);
    expectIssue(issues, {
      file: FILE,
      path: 'spec.owners[2]',
      message: /Group\/acme-admins is listed twice/,
      fix: /remove/,
    });
  });

  it('GIVEN an unknown owner kind THEN the two kinds are the fix', () => {
    expectIssue(refusal('robot', 'ServiceAccount'), {
      file: FILE,
      path: 'spec.owners[0].kind',
      message: /not allowed/,
      fix: /"Group" or "User"/,
    });
  });
});
