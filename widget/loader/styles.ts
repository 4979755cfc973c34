/**
 * The launcher's styles, adopted into the widget's shadow root as a constructable stylesheet
 * (no <style> element, no style attribute: nothing for a strict `style-src` to refuse).
 *
 * Host pages theme the widget with these custom properties, set on `:root` or on
 * `parley-widget` (custom properties cross the shadow boundary):
 *
 * @cssproperty --parley-primary - Launcher background. Default: the site's brand colour.
 * @cssproperty --parley-on-primary - Launcher icon and text colour. Default: white or near-black, whichever reads on the brand colour.
 * @cssproperty --parley-radius - Launcher corner radius. Default: fully round.
 * @cssproperty --parley-font - Font family.
 * @cssproperty --parley-z-index - Stacking order of the whole widget. Default: 2147483000.
 * @cssproperty --parley-offset - Distance from the viewport's corner. Default: 20px.
 * @cssproperty --parley-launcher-size - Launcher height (and width without text). Default: 56px.
 * @cssproperty --parley-badge - Unread badge background. Default: #dc2626.
 * @cssproperty --parley-shadow - Launcher shadow.
 *
 * @csspart launcher - The launcher button.
 * @csspart text - The launcher's text, when the site sets one.
 * @csspart badge - The unread count on the launcher.
 *
 * Host attributes the loader maintains (usable as `parley-widget[open]` from the page too):
 * `position` (bottom-right | bottom-left), `theme` (auto | light | dark), `open`, `drawn`
 * (set once the site's branding is known, so the launcher never flashes in the wrong colour;
 * it appears without an entrance animation, which cost host pages ~30 ms of main thread).
 *
 * `--_b`/`--_f` (brand colour and its readable foreground) are written by the loader from the
 * site's config. `color-scheme` follows the theme, so the badge's `Canvas` ring (and anything
 * the panel draws with system colours) matches a light or dark page.
 */
export const launcherCss = `:host{all:initial;--_p:var(--parley-primary,var(--_b,#4f46e5));--_s:var(--parley-launcher-size,56px);--_o:var(--parley-offset,20px);display:block;position:fixed;z-index:var(--parley-z-index,2147483000);bottom:var(--_o);right:var(--_o);font:600 15px/1 var(--parley-font,system-ui,sans-serif);color-scheme:light dark}
:host([position=bottom-left]){right:auto;left:var(--_o)}
:host([hidden]){display:none}
:host([theme=light]){color-scheme:light}
:host([theme=dark]){color-scheme:dark}
button{all:unset;position:relative;box-sizing:border-box;display:flex;align-items:center;justify-content:center;gap:8px;height:var(--_s);min-width:var(--_s);padding:0 16px;border-radius:var(--parley-radius,calc(var(--_s)/2));background:var(--_p);color:var(--parley-on-primary,var(--_f,#fff));box-shadow:var(--parley-shadow,0 4px 14px rgb(0 0 0/.25));cursor:pointer;visibility:hidden}
:host([drawn]) button{visibility:visible}
button:hover{filter:brightness(1.1)}
button:focus-visible{outline:3px solid var(--_p);outline-offset:3px}
svg{width:24px;height:24px;fill:currentColor;flex:none}
.x,.t:empty,:host([open]) .c,:host([open]) .t{display:none}
:host([open]) .x{display:block}
[part=badge]{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;box-sizing:border-box;border-radius:10px;background:var(--parley-badge,#dc2626);color:#fff;font-size:12px;line-height:20px;text-align:center;box-shadow:0 0 0 2px Canvas}
@media (max-width:480px){:host([open]) button{display:none}}`;
