package io.vpcha.host.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

/** How a command prints its data: for people, or as JSON for scripts. */
public enum OutputFormat {
    text,
    json;

    static final Gson GSON = new GsonBuilder()
            .setPrettyPrinting()
            .disableHtmlEscaping()
            .serializeNulls()
            .create();
}
