"""The demo's service notice: the 1:1 chat verification policy, as published on the board, in
Korean (the original), English and Vietnamese."""

from datetime import datetime
from zoneinfo import ZoneInfo

from notifications.models import Audience, ServiceNotice
from notifications.services import publish_service_notice

CHAT_POLICY_TEXTS = {
    "ko": (
        "2023년 12월 4일부터 1:1 채팅 이용 시 본인인증이 필요합니다",
        """2023년 12월 4일(월)부터 채널 관리자는 계정 본인인증을 완료해야 1:1 채팅을 이용할 수 있습니다.

■ 시행일: 2023년 12월 4일(월) (일정은 변경될 수 있습니다.)
■ 적용 대상: 모든 채널 관리자. 단, 비즈니스 채널의 관리자는 본인인증 없이도 1:1 채팅을 이용할 수 있습니다.

■ 본인인증을 하지 않으면
시행일 이후 본인인증을 마치지 않은 관리자는 일반 채널의 1:1 채팅 이용이 제한됩니다('본인인증 대기' 제한). 이 제한은 이의 제기 대상이 아니며, 관리자센터에서 본인인증을 완료하는 즉시 자동으로 해제됩니다. 게시물, 메시지 발송 등 다른 기능은 그대로 이용할 수 있습니다.

■ 운영정책 위반 시 이용 제한
회원이 비즈니스 이용약관, 채널 운영정책 또는 이 가이드의 의무를 위반하면 회사는 위반 게시물, 프로필, 메시지, 유료 서비스 등을 게시 중단하고, 위반 사유에 따라 경고, 일시 제한, 활동 제한, 영구 제한을 적용할 수 있습니다. 영구 제한은 두 명의 시니어 모더레이터가 확인한 뒤에만 적용됩니다. 이용 제한에 이의가 있으면 관리자센터의 채널 상태 페이지에서 한 번 이의를 제기할 수 있습니다.

■ 알림 방법
이용 제한이 적용되거나 변경·해제되면 계정 이메일, 관리자센터 알림, 카카오톡 알림으로 알려 드립니다. 각 채널의 상태 페이지에서 적용 중인 제한과 사유, 기간, 해결 방법을 언제든 확인할 수 있습니다.

■ 채널 가이드 변경 내용
변경 전 — 6. 이용 제한: 회원이 약관, 운영정책 또는 이 가이드의 의무를 위반하면 회사는 위반 게시물 등을 삭제하고 채널의 다른 서비스 이용을 제한할 수 있습니다.
변경 후 — 6. 건전한 서비스 환경을 위한 준수 사항: 회사는 사칭 사기 예방 등 건전한 서비스 환경을 위해 1:1 채팅 이용 시 본인인증을 요구할 수 있으며, 회원은 이를 완료해야 합니다.
7. 이용 제한: (기존 내용에 더해) 회원이 이 가이드가 요구하는 본인인증을 완료하지 않으면 회사는 인증이 완료될 때까지 1:1 채팅 이용을 제한할 수 있습니다.

■ 주의하세요
관리자센터는 본인인증을 판매하거나 외부 업체에 대행을 맡기지 않습니다. 본인인증은 관리자센터 안에서 본인이 직접, 무료로 진행합니다. 무료든 유료든 1:1 채팅 제한을 '풀어 주겠다'거나 본인인증을 대신해 주겠다는 제안은 모두 사기입니다. 저희 직원은 관리자센터 밖에서 로그인 코드나 인증 서류를 요청하지 않습니다.""",
    ),
    "en": (
        "1:1 chat will require identity verification from 4 December 2023",
        """From Monday 4 December 2023, channel managers can use 1:1 chat after verifying the identity of their account.

■ Effective date: Monday 4 December 2023 (the date may change).
■ Applies to: all channel managers. Managers of business channels can use 1:1 chat without identity verification.

■ If you do not verify
From the effective date, a manager who has not verified their identity cannot use 1:1 chat in general channels (a "pending identity verification" restriction). It cannot be appealed and is not needed: it is lifted automatically the moment you complete the verification in the Admin Center. Posts, broadcasts and every other feature stay available.

■ Restrictions for breaking the policy
If a member breaks the business terms of use, the channel operation policy or the duties in this guide, the company may take down the offending posts, profiles, messages, paid services and the like, and apply a warning, a temporary restriction, an activity restriction or a permanent restriction, depending on the violation. A permanent restriction takes effect only after two senior moderators have confirmed it. You can appeal a restriction once, from the channel's status page in the Admin Center.

■ How you are told
When a restriction is applied, changed or lifted, we tell you by your account's email, an Admin Center notice and a KakaoTalk notification. Each channel's status page shows at any time what is restricted, why, until when and what you can do.

■ What changes in the channel guide
Before — 6. Restrictions on use. If a member breaks the terms, the operation policy or the duties in this guide, the company may delete the offending posts and the like and restrict the channel's other services.
After — 6. Compliance for a healthy service environment. To keep the service healthy, for instance to prevent impersonation fraud, the company may require members to verify their identity when they use 1:1 chat, and members must complete that verification.
7. Restrictions on use. (As before, plus:) If a member does not complete the identity verification this guide requires, the company may restrict 1:1 chat until the verification is complete.

■ Beware
The Admin Center never sells identity verification and never has it done by an outside company. You verify yourself, inside the Admin Center, free of charge. Anyone offering to "unlock" 1:1 chat or to verify for you, for free or for a fee, is a fraudster. Our staff never ask for login codes or verification documents outside the Admin Center.""",
    ),
    "vi": (
        "Từ ngày 4/12/2023, trò chuyện 1:1 yêu cầu xác minh danh tính",
        """Từ thứ Hai ngày 4/12/2023, quản trị viên kênh chỉ có thể dùng trò chuyện 1:1 sau khi xác minh danh tính tài khoản của mình.

■ Ngày áp dụng: thứ Hai, 4/12/2023 (ngày này có thể thay đổi).
■ Đối tượng: tất cả quản trị viên kênh. Quản trị viên của kênh doanh nghiệp vẫn dùng được trò chuyện 1:1 mà không cần xác minh danh tính.

■ Nếu bạn không xác minh
Kể từ ngày áp dụng, quản trị viên chưa xác minh danh tính sẽ không dùng được trò chuyện 1:1 ở các kênh thông thường (hạn chế "chờ xác minh danh tính"). Hạn chế này không cần khiếu nại: hạn chế được gỡ tự động ngay khi bạn hoàn tất xác minh trong Trung tâm quản trị. Bài đăng, tin nhắn gửi hàng loạt và các tính năng khác vẫn dùng bình thường.

■ Hạn chế khi vi phạm chính sách
Nếu thành viên vi phạm điều khoản sử dụng dành cho doanh nghiệp, chính sách vận hành kênh hoặc nghĩa vụ trong hướng dẫn này, công ty có thể gỡ bài đăng, hồ sơ, tin nhắn, dịch vụ trả phí… vi phạm và áp dụng cảnh cáo, hạn chế tạm thời, hạn chế hoạt động hoặc hạn chế vĩnh viễn tùy theo mức độ vi phạm. Hạn chế vĩnh viễn chỉ có hiệu lực sau khi hai kiểm duyệt viên cấp cao xác nhận. Bạn có thể khiếu nại một lần đối với mỗi hạn chế, ngay trên trang trạng thái của kênh trong Trung tâm quản trị.

■ Cách chúng tôi thông báo
Khi một hạn chế được áp dụng, thay đổi hoặc gỡ bỏ, chúng tôi thông báo cho bạn qua email của tài khoản, thông báo trong Trung tâm quản trị và tin nhắn KakaoTalk. Trang trạng thái của từng kênh luôn cho biết điều gì đang bị hạn chế, vì sao, đến khi nào và bạn có thể làm gì.

■ Thay đổi trong hướng dẫn kênh
Trước — 6. Hạn chế sử dụng: nếu thành viên vi phạm điều khoản, chính sách vận hành hoặc nghĩa vụ trong hướng dẫn này, công ty có thể xóa bài đăng vi phạm và hạn chế các dịch vụ khác của kênh.
Sau — 6. Tuân thủ vì một môi trường dịch vụ lành mạnh: để giữ môi trường dịch vụ lành mạnh, chẳng hạn để ngăn chặn lừa đảo mạo danh, công ty có thể yêu cầu thành viên xác minh danh tính khi dùng trò chuyện 1:1, và thành viên phải hoàn tất việc xác minh này.
7. Hạn chế sử dụng: (như trước, thêm:) nếu thành viên không hoàn tất việc xác minh danh tính mà hướng dẫn này yêu cầu, công ty có thể hạn chế trò chuyện 1:1 cho đến khi xác minh xong.

■ Cảnh giác
Trung tâm quản trị không bao giờ bán dịch vụ xác minh danh tính và không thuê bất kỳ công ty bên ngoài nào làm thay. Bạn tự xác minh, ngay trong Trung tâm quản trị, hoàn toàn miễn phí. Bất kỳ ai đề nghị "mở khóa" trò chuyện 1:1 hoặc xác minh hộ bạn, dù miễn phí hay có phí, đều là kẻ lừa đảo. Nhân viên của chúng tôi không bao giờ yêu cầu mã đăng nhập hay giấy tờ xác minh bên ngoài Trung tâm quản trị.""",
    ),
}
CHAT_POLICY_LANGUAGE = "ko"
CHAT_POLICY_TITLE, CHAT_POLICY_BODY = CHAT_POLICY_TEXTS[CHAT_POLICY_LANGUAGE]
CHAT_POLICY_PUBLISHED_AT = datetime(2023, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
# The title the notice had when it was published in English only: a database seeded then has it.
_EARLIER_TITLE = "1:1 chat will require identity verification from 4 December 2023"


def seed_demo_notices() -> int:
    """Publish the chat verification policy notice once. Returns how many notices were created."""
    if ServiceNotice.objects.filter(title__in=[CHAT_POLICY_TITLE, _EARLIER_TITLE]).exists():
        return 0
    publish_service_notice(
        actor=None,
        title=CHAT_POLICY_TITLE,
        body=CHAT_POLICY_BODY,
        language=CHAT_POLICY_LANGUAGE,
        translations={code: text for code, text in CHAT_POLICY_TEXTS.items() if code != CHAT_POLICY_LANGUAGE},
        audience=Audience.ALL,
        publish_at=CHAT_POLICY_PUBLISHED_AT,
        pinned=True,
    )
    return 1
