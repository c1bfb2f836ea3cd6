import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Public } from '@cto/access-control';

/**
 * The dashboard page (DESIGN.md "Topology": "HTTP API (+ dashboard page)"): static HTML, one script
 * and one stylesheet from ./dashboard, read once when the controller is built. Resolved from this
 * file's directory, so it is found however the process was started (`node -r @swc-node/register`
 * from the repository root, Jest, or services/query's own main).
 *
 * Public: the three files carry no case data and no secret; the page asks the user for a bearer
 * token and sends it with every call it makes to the authenticated /v1 API, which checks roles and
 * tenant scope as for any other client. Nothing behind these routes reads or changes case data.
 */
const ASSETS = join(__dirname, 'dashboard');
const asset = (name: string): string => readFileSync(join(ASSETS, name), 'utf8');

/**
 * Only this origin's script and stylesheet, no inline code, calls to this origin only: case data the
 * page shows can never run as script. No form is ever submitted by the browser itself, so a token
 * typed before the script has loaded cannot end up in a URL. Sent with every file; it costs nothing.
 */
export const DASHBOARD_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

// HTML, script and stylesheet for a browser, not JSON API: left out of contracts/openapi.json.
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly files = { page: asset('index.html'), script: asset('dashboard.js'), style: asset('dashboard.css') };

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files.page;
  }

  @Get('dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files.script;
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Content-Security-Policy', DASHBOARD_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  style(): string {
    return this.files.style;
  }
}
