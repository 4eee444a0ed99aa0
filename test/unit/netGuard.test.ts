import { describe, expect, it } from 'vitest';
import { isPrivateAddress } from '../../src/media/netGuard.js';

describe('isPrivateAddress', () => {
  it.each([
    '127.0.0.1',
    '127.255.255.254',
    '10.1.2.3',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '169.254.169.254', // cloud metadata
    '100.64.0.1',
    '0.0.0.0',
    '224.0.0.1',
    '255.255.255.255',
    '198.18.0.1',
  ])('refuses IPv4 %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '::1',
    '::',
    'fe80::1',
    'fe80::1%eth0',
    'fd12:3456::1',
    'fc00::1',
    'ff02::1',
    'fec0::1',
    '2001:db8::1',
    '2001::1', // Teredo
    '::ffff:127.0.0.1', // IPv4-mapped
    '::ffff:7f00:1', // the same, in hex
    '::ffff:10.0.0.1',
    '::ffff:169.254.169.254',
    '::127.0.0.1', // IPv4-compatible
    '64:ff9b::7f00:1', // NAT64 of 127.0.0.1
    '2002:a00:1::1', // 6to4 of 10.0.0.1
    '[::1]',
  ])('refuses IPv6 %s', (address) => {
    expect(isPrivateAddress(address)).toBe(true);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '93.184.216.34',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::808:808',
    '2002:808:808::1',
  ])('accepts public %s', (address) => {
    expect(isPrivateAddress(address)).toBe(false);
  });

  it('refuses what is not an IP address', () => {
    expect(isPrivateAddress('localhost')).toBe(true);
    expect(isPrivateAddress('')).toBe(true);
    expect(isPrivateAddress('1.2.3')).toBe(true);
  });
});

describe('address forms', () => {
  it('reads :: and dotted tails, and refuses malformed IPv6', () => {
    expect(isPrivateAddress('1::2')).toBe(true); // outside global unicast
    expect(isPrivateAddress('::ffff:1.2.3.4')).toBe(false);
    expect(isPrivateAddress('64:ff9b::127.0.0.1')).toBe(true);
    expect(isPrivateAddress('[2606:4700:4700::1111]')).toBe(false);
    expect(isPrivateAddress('not::an::address')).toBe(true);
  });
});
