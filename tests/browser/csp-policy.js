// Applies ?csp=<policy> as a <meta> Content-Security-Policy before the module script loads.
const policy = new URL(location.href).searchParams.get('csp');
const meta = document.createElement('meta');
meta.httpEquiv = 'Content-Security-Policy';
meta.content = policy;
document.head.append(meta);
