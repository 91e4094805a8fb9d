import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildQuery, parseMoneyInput, parsePercentInput, ratioToPercentText } from '../src/lib/query.js';

test('buildQuery leaves out empty values and encodes the rest', () => {
  assert.equal(buildQuery({}), '');
  assert.equal(buildQuery(null), '');
  assert.equal(buildQuery({ rule: '', severity: null, subject: undefined }), '');
  assert.equal(buildQuery({ rule: 'split_invoice', severity: 'critical' }), '?rule=split_invoice&severity=critical');
  assert.equal(buildQuery({ subject: '  S 1&x=2 ' }), '?subject=S%201%26x%3D2');
  assert.equal(buildQuery({ budget: 0, hurdle: '0.1' }), '?budget=0&hurdle=0.1');
});

test('parseMoneyInput accepts plain and separated amounts, refuses the rest', () => {
  assert.deepEqual(parseMoneyInput(''), { empty: true });
  assert.deepEqual(parseMoneyInput('   '), { empty: true });
  assert.deepEqual(parseMoneyInput('50000'), { value: '50000', number: 50000 });
  assert.deepEqual(parseMoneyInput('50,000.5'), { value: '50000.5', number: 50000.5 });
  assert.deepEqual(parseMoneyInput('$1,250.00'), { value: '1250.00', number: 1250 });
  assert.deepEqual(parseMoneyInput(' 007 '), { value: '7', number: 7 });
  assert.deepEqual(parseMoneyInput('0'), { value: '0', number: 0 });
  assert.deepEqual(parseMoneyInput('12.345'), { value: '12.345', number: 12.345 });
  assert.deepEqual(parseMoneyInput('1.123456'), { value: '1.123456', number: 1.123456 });
  for (const bad of ['-5', '1.1234567', '12,34', 'abc', '1e6', '5,0000', '1..2', '$', '1.']) assert.ok(parseMoneyInput(bad).error, bad);
});

test('parsePercentInput turns a percentage into an exact ratio text', () => {
  assert.deepEqual(parsePercentInput(''), { empty: true });
  assert.deepEqual(parsePercentInput('10'), { value: '0.1', number: 0.1 });
  assert.deepEqual(parsePercentInput('12.5 %'), { value: '0.125', number: 0.125 });
  assert.deepEqual(parsePercentInput('0'), { value: '0', number: 0 });
  assert.deepEqual(parsePercentInput('100'), { value: '1', number: 1 });
  assert.deepEqual(parsePercentInput('250'), { value: '2.5', number: 2.5 });
  assert.deepEqual(parsePercentInput('0.05'), { value: '0.0005', number: 0.0005 });
  assert.deepEqual(parsePercentInput('7.25'), { value: '0.0725', number: 0.0725 });
  for (const bad of ['-1', 'ten', '1001', '1.23456', '5%%']) assert.ok(parsePercentInput(bad).error, bad);
});

test('ratioToPercentText is the inverse for display', () => {
  assert.equal(ratioToPercentText(0.1), '10');
  assert.equal(ratioToPercentText(0.125), '12.5');
  assert.equal(ratioToPercentText(0.07), '7');
  assert.equal(ratioToPercentText(null), '');
  for (const s of ['10', '12.5', '0.05', '300']) assert.equal(ratioToPercentText(parsePercentInput(s).number), s);
});
