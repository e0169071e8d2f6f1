package dev.bootsource.webhook;

import dev.bootsource.webhook.http.Endpoint;

/** The answers every endpoint of the webhook gives the same way. */
final class HttpResponses {

    static final String JSON = "application/json";

    private HttpResponses() {
    }

    /** 404, naming what the server does serve. */
    static Endpoint.Response notFound() {
        return Endpoint.Response.text(404, "not found: this server serves POST " + MutateEndpoint.PATH + " and GET " + HealthEndpoint.PATH);
    }

    static Endpoint.Response methodNotAllowed(String method, String allowed, String hint) {
        return Endpoint.Response.text(405, LogText.escape(method) + " is not allowed" + hint).withHeader("Allow", allowed);
    }
}
