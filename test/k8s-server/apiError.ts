import assert from 'node:assert/strict';
import { ApiException } from '@kubernetes/client-node';

/** The ApiException a client-node call rejects with (fails the test when it resolves or throws anything else). */
export async function apiError(promise: Promise<unknown>): Promise<ApiException<unknown>> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ApiException) return error;
    throw error;
  }
  assert.fail('expected an ApiException');
}
