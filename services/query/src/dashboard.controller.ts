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
 *
 * The Content-Security-Policy that keeps case data from ever running as script here, and the other
 * security headers, are on every response of the application (libs/runtime http-edge.ts).
 */
const ASSETS = join(__dirname, 'dashboard');
const asset = (name: string): string => readFileSync(join(ASSETS, name), 'utf8');

// HTML, script and stylesheet for a browser, not JSON API: left out of contracts/openapi.json.
@ApiExcludeController()
@Public()
@Controller('dashboard')
export class DashboardController {
  private readonly files = { page: asset('index.html'), script: asset('dashboard.js'), style: asset('dashboard.css') };

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files.page;
  }

  @Get('dashboard.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files.script;
  }

  @Get('dashboard.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('Cache-Control', 'no-cache')
  style(): string {
    return this.files.style;
  }
}
