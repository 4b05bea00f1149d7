import { webhookUrlProblem } from './transport-rules';

describe('webhookUrlProblem: DomainlessURLValidator on a blank-allowed CharField', () => {
  it.each([
    '',
    'http://myhost/x',
    'https://hooks.example.com/services/T0/B0/x?y=1#z',
    'http://localhost:8080',
    'http://127.0.0.1:9000/hook',
    'http://[::1]:9000/hook',
    'ftp://files.example.com/drop',
    'https://user:pass@example.com/',
    'https://bücher.example/hook',
  ])('accepts %p', (url) => {
    expect(webhookUrlProblem(url)).toBeNull();
  });

  it.each(['foo', 'http://', 'mailto:a@b.c', 'javascript:alert(1)', 'file:///etc/passwd', 'http://exa mple.com', 'gopher://x'])(
    'refuses %p as "Enter a valid URL."',
    (url) => {
      expect(webhookUrlProblem(url)).toBe('Enter a valid URL.');
    },
  );

  it('says what DRF says for null and non-text', () => {
    expect(webhookUrlProblem(null)).toBe('This field may not be null.');
    expect(webhookUrlProblem(['http://x'])).toBe('Not a valid string.');
  });
});
