// A failed call shows the service's words in Electron as in browser mode: Electron's wrapping of a rejected
// invoke (the handler's error.toString() behind "Error invoking remote method '<channel>': ") comes off.
import { describe, expect, it } from 'vitest';
import { serviceError } from './service-error';

const wrapped = (channel: string, inner: string) => new Error(`Error invoking remote method '${channel}': ${inner}`);

describe('serviceError', () => {
  it("keeps the handler's message alone, whatever the error's name", () => {
    expect(serviceError(wrapped('api:datasets.setSplit', 'Error: the dev set would be empty')).message).toBe('the dev set would be empty');
    expect(serviceError(wrapped('api:runs.pause', 'ApiCallError: runs.pause: invalid argument: expected string')).message).toBe('runs.pause: invalid argument: expected string');
    expect(serviceError(wrapped('edge:open-dialog', 'ValiError: Invalid type')).message).toBe('Invalid type');
  });

  it('keeps colons, quotes and line breaks inside the message', () => {
    const inner = "line 3, column 5: 'x' is not a number: expected 0-255\nsee the Data view";
    expect(serviceError(wrapped('api:datasets.open', `Error: ${inner}`)).message).toBe(inner);
  });

  it('leaves any other error as it is', () => {
    const other = new Error('the window is closing');
    expect(serviceError(other)).toBe(other);
    expect(serviceError('plain text').message).toBe('plain text');
  });
});
