/**
 * A name a person recognises for a device, from its user agent: "iPhone · Safari",
 * "Android 手机 · 微信", "Windows 电脑 · Edge". Used when the phone or screen did not name itself.
 */
export function describeDevice(userAgent: string | undefined): string {
  const ua = userAgent ?? '';
  const os = /iPhone/.test(ua) ? 'iPhone'
    : /iPad/.test(ua) ? 'iPad'
    : /Android/.test(ua) ? (/Mobile/.test(ua) ? 'Android 手机' : 'Android 平板')
    : /HarmonyOS|OpenHarmony/.test(ua) ? '鸿蒙设备'
    : /Windows/.test(ua) ? 'Windows 电脑'
    : /Mac OS X|Macintosh/.test(ua) ? 'Mac 电脑'
    : /Linux/.test(ua) ? 'Linux 电脑'
    : '未知设备';
  // Order matters: Edge and the in-app browsers also say "Chrome"/"Safari".
  const browser = /MicroMessenger/.test(ua) ? '微信'
    : /DingTalk/.test(ua) ? '钉钉'
    : /Edg\//.test(ua) ? 'Edge'
    : /Firefox\//.test(ua) ? 'Firefox'
    : /Chrome\/|Chromium\//.test(ua) ? 'Chrome'
    : /Safari\//.test(ua) ? 'Safari'
    : '';
  return browser ? `${os} · ${browser}` : os;
}
