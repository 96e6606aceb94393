import assert from 'node:assert/strict';
import { Journal } from '../../../src/core/incident/journal';
import { replay } from '../../../src/core/incident/journalReplay';
import { useTempDir } from '../../harness/tempDir';

describe('stopping an incident at a given time (the operator stops the recording late)', () => {
  const dir = useTempDir('incident-stop-');
  const startedAt = '2026-05-14T17:55:00.000Z';
  const now = () => new Date('2026-05-15T09:00:00Z');

  it('writes incident-stopped at that time, and replay reports it as the end', () => {
    const created = Journal.create(dir(), { title: 'Late stop', hubs: [], startedAt }, { now });
    assert.ok(created.ok);
    const stopped = created.value.stop(undefined, new Date('2026-05-14T18:45:00Z'));
    assert.ok(stopped.ok);
    assert.equal(stopped.value.time, '2026-05-14T18:45:00.000Z');
    const replayed = replay(created.value.file);
    assert.ok(replayed.ok);
    assert.equal(replayed.value.stoppedAt, '2026-05-14T18:45:00.000Z');
  });

  it('defaults to now, and refuses a time before the start or one that is not a time', () => {
    const created = Journal.create(dir(), { title: 'Stops', hubs: [], startedAt }, { now });
    assert.ok(created.ok);
    const early = created.value.stop(undefined, '2026-05-14T17:00:00Z');
    assert.ok(!early.ok);
    assert.equal(early.error.code, 'journal-bad-time');
    assert.ok(!created.value.stop(undefined, 'soon').ok);
    assert.equal(created.value.isStopped, false);
    const stopped = created.value.stop();
    assert.ok(stopped.ok);
    assert.equal(stopped.value.time, '2026-05-15T09:00:00.000Z');
  });
});
