/*
 * A real Apache HttpClient 4.5 peer for tests/e2e/e2e_apache.sh: GET URL with NTLM only (its own
 * NTLMEngineImpl), credentials given as NTCredentials(user, password, workstation, domain), and
 * print the final status as "status=NNN". Exits 0 only on a 200.
 *
 * Usage: java -cp httpclient.jar:httpcore.jar:commons-logging.jar:commons-codec.jar:DIR \
 *            NtlmClient URL USER PASSWORD WORKSTATION DOMAIN
 */
import java.util.Collections;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.NTCredentials;
import org.apache.http.client.CredentialsProvider;
import org.apache.http.client.config.AuthSchemes;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.client.methods.CloseableHttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

public final class NtlmClient {
    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: NtlmClient URL USER PASSWORD WORKSTATION DOMAIN");
            System.exit(2);
        }
        CredentialsProvider creds = new BasicCredentialsProvider();
        creds.setCredentials(AuthScope.ANY, new NTCredentials(args[1], args[2], args[3], args[4]));
        // NTLM only: the server offers Negotiate too, which HttpClient would try with Kerberos.
        RequestConfig config = RequestConfig.custom()
                .setTargetPreferredAuthSchemes(Collections.singletonList(AuthSchemes.NTLM))
                .setConnectTimeout(20000)
                .setSocketTimeout(20000)
                .build();
        int status;
        try (CloseableHttpClient client = HttpClients.custom()
                     .setDefaultCredentialsProvider(creds)
                     .setDefaultRequestConfig(config)
                     .build();
             CloseableHttpResponse response = client.execute(new HttpGet(args[0]))) {
            status = response.getStatusLine().getStatusCode();
            EntityUtils.consume(response.getEntity());
        }
        System.out.println("status=" + status);
        System.exit(status == 200 ? 0 : 1);
    }
}
