import { describe, expect, it } from 'vitest';
import { firstDuplicateKey } from './json_duplicate_keys.js';

describe('firstDuplicateKey', () => {
  it('finds a key repeated in one object, at any depth, escapes included', () => {
    expect(firstDuplicateKey('{"a":1,"b":2,"a":3}')).toBe('a');
    expect(firstDuplicateKey('{"x":{"s":[1,{"k":1}],"s":2}}')).toBe('s');
    expect(firstDuplicateKey('{"\\u0061":1, "a" :2}')).toBe('a');
  });

  it('accepts the same key in different objects and key-like strings in values', () => {
    expect(firstDuplicateKey('{"a":{"a":1},"b":{"a":2},"c":["a","a"],"d":"\\"a\\":"}')).toBeUndefined();
    expect(firstDuplicateKey('[{"a":1},{"a":1}]')).toBeUndefined();
  });
});
