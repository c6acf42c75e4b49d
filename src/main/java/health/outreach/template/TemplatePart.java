package health.outreach.template;

/** The parts a locale variant can have; the file name doubles as the FreeMarker template name suffix. */
public enum TemplatePart {
    SUBJECT("subject.ftl"), HTML("html.ftlh"), TEXT("text.ftl"), SMS("sms.ftl");

    private final String fileName;

    TemplatePart(String fileName) {
        this.fileName = fileName;
    }

    /** File name in the library on disk; its extension picks the output format (.ftlh escapes HTML). */
    public String fileName() {
        return fileName;
    }

    public String field() {
        return name().toLowerCase();
    }
}
