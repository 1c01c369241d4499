/// The verdict of ``LogLineParser`` on one line.
public enum ParsedLine {
    case valid(LogRecord)
    case malformed(MalformedReason)
}
