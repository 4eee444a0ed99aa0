/**
 * The dependency rule (docs/architecture.md, "One way dependencies point"), checked by `npm run lint` and so by CI.
 * commands → interactions → {jobs, render, delivery, media}; delivery → {render, jobs}; jobs → upstream.
 * Type-only imports count: a cycle through types is still a cycle for a reader.
 */
const DISCORD = '^node_modules/(discord\\.js|@discordjs/[^/]+|discord-api-types)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles, through type-only imports either.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'only-the-root-imports-commands',
      severity: 'error',
      comment: 'commands/ is a leaf: only the composition root (src/app.ts) loads it.',
      from: { path: '^src/', pathNot: '^src/app\\.ts$' },
      to: { path: '^commands/' },
    },
    {
      name: 'upstream-knows-nothing-of-the-bot',
      severity: 'error',
      comment: 'The upstream client is a library: no Discord, no jobs, nothing of the bot around it.',
      from: { path: '^src/upstream/' },
      to: {
        path: [
          DISCORD,
          '^src/(jobs|interactions|render|delivery|media|http|i18n)/',
          '^src/(app|main|config)\\.ts$',
        ],
      },
    },
    {
      name: 'jobs-know-nothing-of-discord',
      severity: 'error',
      comment:
        'The domain (jobs, tracker, queue, limits, event hub) knows nothing of Discord or of the layers above it.',
      from: { path: '^src/jobs/' },
      to: { path: [DISCORD, '^src/(interactions|render|delivery|media|http)/', '^src/(app|main)\\.ts$'] },
    },
    {
      name: 'cluster-is-wired-by-the-root-only',
      severity: 'error',
      comment:
        'src/cluster/ (leases, cross-process events, admission lock, shared budget over Redis) plugs into the seams of jobs and delivery; only src/app.ts wires it, and it knows nothing of Discord or the layers above.',
      from: { path: '^src/cluster/' },
      to: { path: [DISCORD, '^src/(interactions|render|media|http)/', '^src/(app|main)\\.ts$'] },
    },
    {
      name: 'only-the-root-imports-cluster',
      severity: 'error',
      from: { path: '^src/', pathNot: ['^src/app\\.ts$', '^src/cluster/'] },
      to: { path: '^src/cluster/' },
    },
    {
      name: 'render-is-pure',
      severity: 'error',
      comment:
        'Rendering is pure: job (+ locale) → message parts. Types of the Discord API only, no runtime, no I/O.',
      from: { path: '^src/render/' },
      to: { dependencyTypes: ['npm', 'core'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'render-imports-no-layer-above',
      severity: 'error',
      from: { path: '^src/render/' },
      to: { path: '^src/(interactions|delivery|media|http)/' },
    },
    {
      name: 'delivery-never-imports-interactions',
      severity: 'error',
      comment: 'The publisher and its budgets serve every caller; interaction handling sits above them.',
      from: { path: '^src/delivery/' },
      to: { path: '^src/(interactions|http)/' },
    },
    {
      name: 'media-knows-nothing-of-the-bot',
      severity: 'error',
      comment:
        'Downloads, the SSRF-safe fetcher, image sniffing and masks: plain helpers, no Discord, no jobs.',
      from: { path: '^src/media/' },
      to: { path: [DISCORD, '^src/(jobs|interactions|render|delivery|http|upstream)/'] },
    },
    {
      name: 'http-does-not-reach-into-discord-handling',
      severity: 'error',
      from: { path: '^src/http/' },
      to: { path: '^src/(interactions|delivery)/' },
    },
    {
      name: 'src-never-imports-tests',
      severity: 'error',
      from: { path: '^(src|commands)/' },
      to: { path: '^(test|bench)/' },
    },
    {
      name: 'the-bot-never-imports-its-emulators',
      severity: 'error',
      comment:
        'emulators/ (the local Discord and Midjourney) and playground/ serve tests and trying the bot, never the bot.',
      from: { path: '^(src|commands)/' },
      to: { path: '^(emulators|playground)/' },
    },
    {
      name: 'emulators-stand-alone',
      severity: 'error',
      comment:
        'The emulators play Discord and the upstream: they may share the upstream contract types, nothing else.',
      from: { path: '^emulators/' },
      to: { path: ['^(commands|test|bench|playground)/', '^src/(?!upstream/types\\.ts$)'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
